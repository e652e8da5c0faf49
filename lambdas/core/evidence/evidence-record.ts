import { z } from 'zod';
import type { LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import { getQuarantine, type RecordUpdate, updateQuarantine } from '../ledger/ledger';
import type { QuarantineRecord } from '../ledger/record';
import { ContextObject } from './manifest';

/** One snapshot of one attached volume, as the `snapshot` task returns it. */
export const SnapshotRef = z.object({
  volumeId: z.string().regex(/^vol-[0-9a-f]+$/),
  snapshotId: z.string().regex(/^snap-[0-9a-f]+$/),
  sizeGiB: z.number().int().positive(),
  deviceName: z.string(),
});
export type SnapshotRef = z.infer<typeof SnapshotRef>;

/** One multipart upload of one image object (a whole volume, or one piece of a split image). */
export const ExportRef = z.object({
  volumeId: z.string(),
  snapshotId: z.string(),
  key: z.string(),
  uploadId: z.string(),
  partSize: z.number().int().positive(),
  partCount: z.number().int().positive(),
  /** Byte range of the volume this object holds. */
  offset: z.number().int().nonnegative(),
  length: z.number().int().positive(),
  zeroKey: z.string(),
});
export type ExportRef = z.infer<typeof ExportRef>;

/** The unit of work of one export worker: a range of parts of one upload. */
export const Segment = ExportRef.extend({
  firstPart: z.number().int().positive(),
  lastPart: z.number().int().positive(),
});
export type Segment = z.infer<typeof Segment>;

/** What the ledger record keeps under `evidence` (locations only; hashes live in the vault). */
export const EvidenceState = z
  .object({
    bucket: z.string().optional(),
    snapshots: z.array(SnapshotRef).optional(),
    exports: z.array(ExportRef).optional(),
    exportStartedAt: z.string().optional(),
    images: z.array(z.object({ key: z.string(), versionId: z.string(), recordKey: z.string() })).optional(),
    contextObjects: z.array(ContextObject).optional(),
    manifest: z.object({ key: z.string(), versionId: z.string(), sha256: z.string() }).optional(),
  })
  .loose();
export type EvidenceState = z.infer<typeof EvidenceState>;

export async function loadRecord(l: LedgerClients, quarantineId: string): Promise<QuarantineRecord> {
  const record = await getQuarantine(l, quarantineId);
  if (record === undefined) throw new StepFailedError(`quarantine ${quarantineId} not found`, 'load');
  return record;
}

export const evidenceOf = (r: QuarantineRecord): EvidenceState => EvidenceState.parse(r.evidence ?? {});

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
