import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../lambdas/core/clients';
import { getQuarantine } from '../lambdas/core/ledger/ledger';
import { readSealed } from '../lambdas/core/report/read-sealed';
import { REPORT_NAMES, reportOf } from '../lambdas/core/report/report-record';

/** The summary's `report` fields: where the sealed HTML report is, and whether it matches the ledger. */
export interface DemoReport {
  readonly key: string | null;
  readonly versionId: string | null;
  readonly sha256: string | null;
  /** True when the stored object's SHA-256 is the one the ledger recorded when the report was issued. */
  readonly verified: boolean;
  /** The local copy of the verified HTML (next to the Lambda log file); null when there is none. */
  readonly htmlPath: string | null;
  /** Why there is no verified report (none issued, unreadable, mismatch). */
  readonly detail?: string;
}

/**
 * Reads the latest breach report the workflow sealed for the demo's quarantine (report.html, by its S3
 * version id), checks it against the SHA-256 in the ledger, and writes it beside the demo's Lambda log
 * file as `report-<quarantine id>.html`. Only verified bytes are written. Never throws for a missing or
 * bad report: the summary says so.
 */
export async function writeDemoReport(
  c: { readonly s3: S3Client; readonly ledger: LedgerClients; readonly vaultBucket: string },
  quarantineId: string,
  logFilePath: string,
): Promise<DemoReport> {
  const none = (detail: string, o: Partial<DemoReport> = {}): DemoReport => ({
    key: null,
    versionId: null,
    sha256: null,
    verified: false,
    htmlPath: null,
    detail,
    ...o,
  });
  const record = await getQuarantine(c.ledger, quarantineId);
  if (record === undefined) return none(`quarantine ${quarantineId} is not in the ledger`);
  let latest: ReturnType<typeof reportOf>['versions'][number] | undefined;
  try {
    latest = reportOf(record).versions.at(-1);
  } catch (err) {
    return none(err instanceof Error ? err.message : String(err));
  }
  const html = latest?.objects.find((o) => o.name === REPORT_NAMES.html);
  if (html === undefined)
    return none(
      `no report was issued${record.report?.lastFailure === undefined ? '' : ` (last attempt: ${JSON.stringify(record.report.lastFailure)})`}`,
    );
  const found = { key: html.key, versionId: html.versionId ?? null, sha256: html.sha256 };
  const read = await readSealed(c.s3, c.vaultBucket, html);
  if (read.status !== 'verified') return none(read.detail, found);
  const htmlPath = join(dirname(logFilePath), `report-${quarantineId}.html`);
  writeFileSync(htmlPath, read.bytes);
  return { ...found, verified: true, htmlPath };
}
