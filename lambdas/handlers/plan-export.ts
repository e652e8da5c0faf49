import * as z from 'zod/mini';
import { fromZodIssues } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord, SnapshotRef } from '../core/evidence/evidence-record';
import { planExport } from '../core/evidence/plan-export';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

/** Workflow task input: the snapshot task's output once every snapshot is completed. */
export const PlanTaskInput = z.looseObject({
  quarantineId: QuarantineId,
  snapshots: z.array(SnapshotRef).check(z.minLength(1)),
});

/**
 * Step Functions task: opens the multipart uploads and returns the segments the Map state fans out.
 * Each segment carries the quarantine id so a worker can find the instance's account.
 */
export const handler = async (event: unknown) => {
  const parsed = PlanTaskInput.safeParse(event);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.data.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const plan = await planExport(c.s3, rt.ledger, record.quarantineId, parsed.data.snapshots, cfg);
  const quarantineId = record.quarantineId;
  return {
    ...parsed.data,
    exports: plan.exports,
    segments: plan.segments.map((s) => ({ ...s, quarantineId })),
  };
};
