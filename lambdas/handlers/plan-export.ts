import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
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
 * Each segment is a small reference (upload index, part range; the Map state adds the quarantine id)
 * that a worker resolves from the ledger, so the state stays small for any number of volumes.
 */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(PlanTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const plan = await planExport(c.s3, rt.ledger, record.quarantineId, parsed.snapshots, cfg);
  // Only references travel in the state: upload ids and keys stay in the ledger (segmentOf).
  return {
    ...parsed,
    segments: plan.segments.map((s) => ({
      image: s.image,
      firstPart: s.firstPart,
      lastPart: s.lastPart,
    })),
  };
};
