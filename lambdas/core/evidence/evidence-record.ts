import * as z from 'zod/mini';
import type { LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import { getQuarantine, type RecordUpdate, updateQuarantine } from '../ledger/ledger';
import type { QuarantineRecord } from '../ledger/record';
import { ContextObject } from './manifest';

/** One snapshot of one attached volume, as the `snapshot` task returns it. */
export const SnapshotRef = z.object({
  volumeId: z.string().check(z.regex(/^vol-[0-9a-f]+$/)),
  snapshotId: z.string().check(z.regex(/^snap-[0-9a-f]+$/)),
  sizeGiB: z.int().check(z.positive()),
  deviceName: z.string(),
});
export type SnapshotRef = z.infer<typeof SnapshotRef>;

/** One multipart upload of one image object (a whole volume, or one piece of a split image). */
export const ExportRef = z.object({
  volumeId: z.string(),
  snapshotId: z.string(),
  key: z.string(),
  uploadId: z.string(),
  partSize: z.int().check(z.positive()),
  partCount: z.int().check(z.positive()),
  /** Byte range of the volume this object holds. */
  offset: z.int().check(z.nonnegative()),
  length: z.int().check(z.positive()),
  zeroKey: z.string(),
});
export type ExportRef = z.infer<typeof ExportRef>;

/** The unit of work of one export worker: a range of parts of one upload. */
export const Segment = z.extend(ExportRef, {
  firstPart: z.int().check(z.positive()),
  lastPart: z.int().check(z.positive()),
});
export type Segment = z.infer<typeof Segment>;

/**
 * A segment as the workflow's Map state carries it: the index of its upload in the record's
 * `evidence.exports` and its part range. The upload's details stay in the ledger, so the state stays
 * small however many volumes and segments there are (Step Functions caps state at 256 KiB).
 * @example { "image": 0, "firstPart": 1, "lastPart": 64 }
 */
export const SegmentRef = z.object({
  image: z.int().check(z.nonnegative()),
  firstPart: z.int().check(z.positive()),
  lastPart: z.int().check(z.positive()),
});
export type SegmentRef = z.infer<typeof SegmentRef>;

/** What the ledger record keeps under `evidence` (locations only; hashes live in the vault). */
export const EvidenceState = z.looseObject({
  bucket: z.optional(z.string()),
  snapshots: z.optional(z.array(SnapshotRef)),
  exports: z.optional(z.array(ExportRef)),
  exportStartedAt: z.optional(z.string()),
  images: z.optional(z.array(z.object({ key: z.string(), versionId: z.string(), recordKey: z.string() }))),
  contextObjects: z.optional(z.array(ContextObject)),
  manifest: z.optional(z.object({ key: z.string(), versionId: z.string(), sha256: z.string() })),
});
export type EvidenceState = z.infer<typeof EvidenceState>;

export async function loadRecord(l: LedgerClients, quarantineId: string): Promise<QuarantineRecord> {
  const record = await getQuarantine(l, quarantineId);
  if (record === undefined) throw new StepFailedError(`quarantine ${quarantineId} not found`, 'load');
  return record;
}

export const evidenceOf = (r: QuarantineRecord): EvidenceState => EvidenceState.parse(r.evidence ?? {});

/** The full segment a SegmentRef names, from the uploads plan-export recorded. */
export function segmentOf(r: QuarantineRecord, ref: SegmentRef): Segment {
  const upload = evidenceOf(r).exports?.[ref.image];
  if (upload === undefined)
    throw new StepFailedError(
      `quarantine ${r.quarantineId} has no export upload #${ref.image}`,
      'export-segment',
    );
  if (ref.firstPart > ref.lastPart || ref.lastPart > upload.partCount)
    throw new StepFailedError(
      `parts ${ref.firstPart}-${ref.lastPart} are outside upload #${ref.image} (${upload.partCount} parts)`,
      'export-segment',
    );
  return { ...upload, firstPart: ref.firstPart, lastPart: ref.lastPart };
}

/** Merges `patch` into the record's evidence and appends the actions, in one conditional update. */
export async function recordEvidence(
  l: LedgerClients,
  record: QuarantineRecord,
  patch: Partial<EvidenceState>,
  u: Omit<RecordUpdate, 'set'> = {},
): Promise<EvidenceState> {
  const evidence = { ...evidenceOf(record), ...patch };
  await updateQuarantine(l, record.quarantineId, { ...u, set: { evidence } });
  return evidence;
}

/** The volumes isolation recorded in preState.instance before changing anything. */
export function volumesOf(r: QuarantineRecord): { volumeId: string; deviceName: string }[] {
  const facts = r.preState.instance as { volumes?: { volumeId: string; deviceName: string }[] } | undefined;
  return facts?.volumes ?? [];
}
