import * as z from 'zod/mini';
import { LedgerError } from '../errors';
import { SealedObject } from '../investigation/outcome';
import type { QuarantineRecord } from '../ledger/record';

/** The rendered forms of one report version, by object name. */
export const REPORT_NAMES = { json: 'report.json', md: 'report.md', html: 'report.html' } as const;
export type ReportFormat = keyof typeof REPORT_NAMES;

/**
 * One issued version of the breach report: when, from which inputs (a fingerprint of the sealed inputs'
 * SHA-256s, see gather-inputs.ts), and the three objects written (JSON, Markdown, HTML) with the S3
 * version id and SHA-256 of each.
 */
export const ReportVersion = z.object({
  at: z.string(),
  inputs: z.string(),
  objects: z.array(SealedObject),
});
export type ReportVersion = z.infer<typeof ReportVersion>;

/**
 * The ledger record's `report` attribute: every version issued, oldest first (the vault keeps every
 * S3 version too), and the last failure of the report step, if any.
 * @example { "versions": [{ "at": "2026-11-30T08:10:00.000Z", "inputs": "q3Jm…=", "objects": [
 *   { "name": "report.html", "key": "evidence/INC-1/q-…/report/report.html", "versionId": "3HL4kqtJ",
 *     "sha256": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=" } ] }] }
 */
export const ReportState = z.object({
  versions: z.array(ReportVersion),
  lastFailure: z.optional(z.object({ at: z.string(), detail: z.string() })),
});
export type ReportState = z.infer<typeof ReportState>;

/**
 * The record's report state. A malformed attribute throws rather than read as empty: the next version
 * would otherwise replace the history of the versions issued.
 */
export function reportOf(r: QuarantineRecord): ReportState {
  const parsed = ReportState.safeParse(r.report ?? { versions: [] });
  if (!parsed.success)
    throw new LedgerError(`quarantine ${r.quarantineId}: the ledger's report attribute is malformed`);
  return parsed.data;
}

/** The version whose objects carry `versionId` (of any format), else the latest. */
export function findVersion(s: ReportState, versionId?: string): ReportVersion | undefined {
  if (versionId === undefined) return s.versions.at(-1);
  return s.versions.find((v) => v.objects.some((o) => o.versionId === versionId));
}
