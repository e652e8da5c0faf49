import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { globalEventsRegion } from '../core/evidence/cloudtrail-capture';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord } from '../core/evidence/evidence-record';
import type { ReachClients } from '../core/investigation/reach/collect-reach';
import { createReachClients, jsonApiOf, ORGANIZATIONS } from '../core/investigation/reach/reach-clients';
import { runReachStep } from '../core/investigation/reach/reach-step';
import { QuarantineId } from '../core/schemas/ids';
import { investigationSettings } from './investigation-env';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-investigate-reach' });
/** @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11" } */
export const ReachTaskInput = z.looseObject({ quarantineId: QuarantineId });

/**
 * The collectors' clients in the instance's account (its credentials: the responder's own, or the
 * MemberAccess role's), one per region and service. Organizations answers only in the management
 * account or a delegated administrator, so it is asked with the responder's own credentials, at its
 * global endpoint's region (us-east-1 for the commercial partition, as for IAM's global events).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html
 */
function reachClients(
  base: { iam: ReachClients['iam']; ec2: ReachClients['ec2'] },
  instanceRegion: string,
  homeRegion: string,
): ReachClients {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  const organizations = jsonApiOf(
    new OrganizationsClient({
      region: globalEventsRegion(homeRegion),
      maxAttempts: 8,
      ...(endpoint === undefined ? {} : { endpoint }),
    }),
    ORGANIZATIONS,
  );
  return createReachClients(
    {
      region: instanceRegion,
      credentials: base.ec2.config.credentials,
      maxAttempts: 8,
      ...(endpoint === undefined ? {} : { endpoint }),
    },
    { iam: base.iam, ec2: base.ec2, organizations },
  );
}

/** Step Functions task: the blast radius of the quarantined instance's role (reach.json). */
export const handler = async (event: unknown) => {
  const started = Date.now();
  const input = parseOrThrow(ReachTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const s = investigationSettings();
  const record = await loadRecord(rt.ledger, input.quarantineId);
  const instance = await rt.isolationClientsFor(record.instance);
  const { s3: vault } = await evidenceClientsFor(rt, record.instance, cfg.region);
  const outcome = await runReachStep(
    { ledger: rt.ledger, vault, reach: reachClients(instance, record.instance.region, s.region) },
    record,
    {
      ...cfg,
      regions: [...new Set([record.instance.region, ...s.coveredRegions])],
      classificationTags: s.classificationTags,
      depth: s.reachDepth,
    },
  );
  logger.info('reach investigated', {
    quarantineId: input.quarantineId,
    status: outcome.status,
    ...outcome.summary,
    durationMs: Date.now() - started,
  });
  return outcome;
};
