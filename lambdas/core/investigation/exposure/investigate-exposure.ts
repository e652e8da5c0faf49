import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../../clients';
import { reasonOf, StepFailedError } from '../../errors';
import type { EvidenceConfig } from '../../evidence/config';
import { action } from '../../isolation/engine-config';
import type { QuarantineRecord } from '../../ledger/record';
import type { InvestigationOutcome } from '../outcome';
import { outcomeOf, recordOutcome } from '../record-outcome';
import { investigationPrefix, writeSealedObject } from '../vault-write';
import { collectExposure, type ExposureClients } from './collect-exposure';
import type { ExposureFacts } from './exposure-facts';

export const EXPOSURE_OBJECT = 'exposure.json';

/** The small numbers the record, the notification and the demo summary show. */
export function exposureSummary(f: ExposureFacts): Record<string, unknown> {
  return {
    publicAddresses: f.publicAddresses.length,
    openIngressRules: f.openIngress.length,
    internetRoute: f.internetRoute,
    imdsV1Allowed: f.imds.httpTokens === 'optional',
    vulnerabilities: f.vulnerabilities.findings.length,
    exploitable: f.vulnerabilities.findings.filter((v) => v.exploitAvailable === true).length,
    guardDutyFindings: f.findingHistory.findings.length,
    instanceAccessEvents: f.instanceAccess.length,
    unknowns: f.unknowns.length,
  };
}

/**
 * The exposure step: collects how exposed the instance was (collect-exposure.ts), locks `exposure.json`
 * in the vault under the evidence prefix and records the `exposure` outcome with its SHA-256. Idempotent:
 * an outcome already `written` is returned as is. An unreadable source is an unknown inside the facts;
 * only a failed vault write fails the step, recorded first as `unavailable` with the reason (the
 * workflow retries, and then goes on: investigation never blocks containment or evidence).
 */
export async function investigateExposure(
  c: ExposureClients & { readonly s3: S3Client },
  l: LedgerClients,
  record: QuarantineRecord,
  cfg: EvidenceConfig,
  now = new Date(),
): Promise<InvestigationOutcome> {
  const { quarantineId } = record;
  const done = outcomeOf(record, 'exposure');
  if (done?.status === 'written') return done;
  const facts = await collectExposure(c, record, now);
  const key = `${investigationPrefix(cfg, record)}${EXPOSURE_OBJECT}`;
  const summary = exposureSummary(facts);
  try {
    const sealed = await writeSealedObject(c.s3, cfg, {
      name: EXPOSURE_OBJECT,
      key,
      body: Buffer.from(`${JSON.stringify(facts, null, 2)}\n`),
      contentType: 'application/json',
    });
    const outcome: InvestigationOutcome = {
      status: 'written',
      at: new Date().toISOString(),
      objects: [sealed],
      summary,
      ...(facts.unknowns.length === 0 ? {} : { detail: facts.unknowns.join('; ').slice(0, 1000) }),
    };
    await recordOutcome(l, quarantineId, 'exposure', outcome, [
      action(cfg.responderActor, 'investigate-exposure', 'ok', {
        key,
        sha256: sealed.sha256,
        ...(sealed.versionId === undefined ? {} : { versionId: sealed.versionId }),
        ...summary,
      }),
    ]);
    return outcome;
  } catch (err) {
    const detail = `could not write ${key}: ${reasonOf(err)}`;
    const outcome: InvestigationOutcome = {
      status: 'unavailable',
      at: new Date().toISOString(),
      objects: [],
      detail,
    };
    await recordOutcome(l, quarantineId, 'exposure', outcome, [
      action(cfg.responderActor, 'investigate-exposure', 'failed', { detail }),
    ]);
    throw new StepFailedError(detail, 'investigate-exposure', { cause: err });
  }
}
