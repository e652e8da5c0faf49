import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord, SnapshotRef } from '../core/evidence/evidence-record';
import { pollSnapshots } from '../core/evidence/snapshot';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

/**
 * Workflow task input.
 * @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "snapshots": [{ "volumeId": "vol-0a1b2c3d", "snapshotId": "snap-0a1b2c3d", "sizeGiB": 8, "deviceName": "/dev/xvda" }] }
 */
export const PollTaskInput = z.looseObject({
  quarantineId: QuarantineId,
  snapshots: z.array(SnapshotRef).check(z.minLength(1)),
});

/** Step Functions task: one poll; the state machine waits and calls again until allCompleted. */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(PollTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  return { ...parsed, allCompleted: await pollSnapshots(c.ec2, parsed.snapshots) };
};
