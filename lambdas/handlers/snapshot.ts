import { Logger } from '@aws-lambda-powertools/logger';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { globalEventsRegion } from '../core/evidence/cloudtrail-capture';
import { captureContext } from '../core/evidence/context';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord } from '../core/evidence/evidence-record';
import { takeSnapshots } from '../core/evidence/snapshot';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-snapshot' });

/** Workflow task input. @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11" } */
export const SnapshotTaskInput = z.looseObject({ quarantineId: QuarantineId });

/**
 * Step Functions task: one crash-consistent snapshot set of every attached volume, then the context
 * evidence (describe output, console, role, CloudTrail). Idempotent.
 */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(SnapshotTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const snapshots = await takeSnapshots(c.ec2, rt.ledger, record.quarantineId, cfg);
  logger.info('snapshots taken', { quarantineId: record.quarantineId, snapshots: snapshots.length });
  // Context capture never fails the task: each capture records its own failure.
  const { iam } = await rt.isolationClientsFor(record.instance);
  const trailIn = (region: string) => new CloudTrailClient({ region, credentials: c.ec2.config.credentials });
  const cloudtrail = trailIn(record.instance.region);
  // IAM and STS calls are recorded only in the global-events Region (us-east-1 in the aws partition).
  const global = globalEventsRegion(record.instance.region);
  const globalCloudTrail = global === record.instance.region ? undefined : trailIn(global);
  const context = await captureContext(
    { ...c, iam, cloudtrail, ...(globalCloudTrail === undefined ? {} : { globalCloudTrail }) },
    rt.ledger,
    record.quarantineId,
    cfg,
  );
  logger.info('context captured', { captured: context.filter((o) => o.status === 'captured').length });
  return { ...parsed, snapshots };
};
