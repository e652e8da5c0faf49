import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { reasonOf, StepFailedError } from '../errors';
import type { EvidenceConfig } from '../evidence/config';
import { loadRecord } from '../evidence/evidence-record';
import { evidencePrefix } from '../evidence/vault';
import { writeSealedObject } from '../investigation/vault-write';
import { action } from '../isolation/engine-config';
import { updateQuarantine } from '../ledger/ledger';
import type { LedgerAction } from '../ledger/record';
import { gatherInputs } from './gather-inputs';
import type { ReportConfig, ReportInputs } from './inputs';
import { REPORT_NAMES, type ReportFormat, type ReportVersion, reportOf } from './report-record';

/** Builds the report from its inputs and renders it: the JSON document, Markdown and HTML. */
export type RenderReport = (inputs: ReportInputs) => Readonly<Record<ReportFormat, string>>;

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export const reportKey = (
  cfg: Pick<EvidenceConfig, 'prefix'>,
  r: { incidentId: string; quarantineId: string },
  f: ReportFormat,
) => `${evidencePrefix(cfg.prefix, r)}report/${REPORT_NAMES[f]}`;

export type IssueResult =
  | { readonly status: 'issued'; readonly version: ReportVersion }
  | { readonly status: 'unchanged'; readonly version: ReportVersion };

/**
 * The report step: gathers the sealed inputs (each checked against its recorded SHA-256), and when they
 * differ from the latest version's, builds and renders the report and locks report.json, .md and .html
 * under `<evidence prefix>report/` (COMPLIANCE retention, the evidence's legal hold; S3 versioning keeps
 * every earlier version), then appends the version to the ledger's `report` attribute with a custody
 * action. Inputs whose bytes do not match are alarms in the ledger and are left out of the report.
 * A failure is recorded (action and `report.lastFailure`) and rethrown for the workflow's retries; it
 * never touches containment or evidence. A new version of a key whose earlier versions are under
 * COMPLIANCE retention is allowed: retention protects each version, not the key.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export async function issueReport(
  s3: S3Client,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
  config: ReportConfig,
  render: RenderReport,
  now = new Date(),
): Promise<IssueResult> {
  const record = await loadRecord(l, quarantineId);
  const state = reportOf(record);
  const actor = cfg.responderActor;
  try {
    const g = await gatherInputs(s3, cfg.vaultBucket, record, config, now);
    const alarms: LedgerAction[] = g.mismatches.map((detail) =>
      action(actor, 'report-input-mismatch', 'alarm', { detail }),
    );
    const latest = state.versions.at(-1);
    if (latest !== undefined && latest.inputs === g.fingerprint) {
      if (alarms.length > 0) await updateQuarantine(l, quarantineId, { actions: alarms });
      return { status: 'unchanged', version: latest };
    }
    const rendered = render(g.inputs);
    const formats = Object.keys(REPORT_NAMES) as ReportFormat[];
    const objects = await Promise.all(
      formats.map((f) =>
        writeSealedObject(s3, cfg, {
          name: REPORT_NAMES[f],
          key: reportKey(cfg, record, f),
          body: Buffer.from(rendered[f], 'utf8'),
          contentType: CONTENT_TYPES[f],
        }),
      ),
    );
    const version: ReportVersion = { at: now.toISOString(), inputs: g.fingerprint, objects };
    await updateQuarantine(l, quarantineId, {
      set: { report: { versions: [...state.versions, version] } },
      actions: [
        ...alarms,
        action(actor, 'issue-report', 'ok', {
          version: state.versions.length + 1,
          objects: objects.map((o) => ({ key: o.key, versionId: o.versionId, sha256: o.sha256 })),
          ...(g.unavailable.length === 0 ? {} : { unavailable: g.unavailable }),
        }),
      ],
    });
    return { status: 'issued', version };
  } catch (err) {
    const detail = reasonOf(err, 500);
    await updateQuarantine(l, quarantineId, {
      set: { report: { ...state, lastFailure: { at: new Date().toISOString(), detail } } },
      actions: [action(actor, 'issue-report', 'failed', { detail })],
    }).catch(() => undefined);
    throw new StepFailedError(`the report was not issued: ${detail}`, 'issue-report', { cause: err });
  }
}
