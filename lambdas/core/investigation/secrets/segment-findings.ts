import * as z from 'zod/mini';
import { SecretFinding } from './secret-finding';

/** Findings kept per image (and per segment); the rest are counted, never listed. */
export const SECRET_LIMIT = 100;

/**
 * What one export segment found, stored as a small locked vault object beside its image
 * (`<image key>.secrets/<firstPart>-<lastPart>.json`). Segments run in parallel Lambdas, so each writes
 * its own object (a retry writes a new version of the same key) and complete-export reads them all;
 * no shared object or ledger field is ever updated by two segments at once.
 * @example { "key": "evidence/INC-7/i-0abc/vol-0a1b.raw", "firstPart": 1, "lastPart": 64,
 *   "findings": [], "dropped": 0, "scannedBytes": 536870912 }
 */
export const SegmentFindings = z.object({
  key: z.string(),
  firstPart: z.int().check(z.positive()),
  lastPart: z.int().check(z.positive()),
  findings: z.array(SecretFinding),
  dropped: z.int().check(z.nonnegative()),
  scannedBytes: z.int().check(z.nonnegative()),
  /** Why part of the segment was not scanned (the export itself went on). */
  incomplete: z.optional(z.string()),
});
export type SegmentFindings = z.infer<typeof SegmentFindings>;

export const segmentFindingsKey = (imageKey: string, firstPart: number, lastPart: number) =>
  `${imageKey}.secrets/${firstPart}-${lastPart}.json`;

/** Keeps the first `limit` findings by volume offset; the others add to `dropped`. */
export function capFindings(
  all: ReadonlyArray<SecretFinding>,
  dropped: number,
  limit = SECRET_LIMIT,
): { findings: SecretFinding[]; dropped: number } {
  const sorted = [...all].sort((a, b) => a.offset - b.offset || a.kind.localeCompare(b.kind));
  return { findings: sorted.slice(0, limit), dropped: dropped + Math.max(0, sorted.length - limit) };
}
