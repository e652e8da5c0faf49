import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../../lambdas/core/clients';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { readSealed } from '../../lambdas/core/report/read-sealed';
import {
  findVersion,
  REPORT_NAMES,
  type ReportFormat,
  reportOf,
} from '../../lambdas/core/report/report-record';
import { CheckFailedError, NotFoundError } from '../errors';

/** A sealed report read back and checked against the ledger. */
export interface FetchedReport {
  readonly quarantineId: string;
  readonly key: string;
  readonly versionId?: string;
  readonly sha256: string;
  /** When the step issued this version, and its number (1 = first). */
  readonly issuedAt: string;
  readonly version: number;
  readonly versions: number;
  readonly content: Buffer;
}

/**
 * Fetches one issued version of a quarantine's breach report (the latest, or the one holding the S3
 * version `versionId` of any of its forms) in one format, by its S3 version id, and checks its SHA-256
 * against the one the ledger recorded when it was issued. A mismatch is a CheckFailedError (exit 1):
 * the bytes are never returned.
 */
export async function fetchReport(
  s3: S3Client,
  ledger: LedgerClients,
  o: { bucket: string; quarantineId: string; format: ReportFormat; versionId?: string },
): Promise<FetchedReport> {
  const record = await getQuarantine(ledger, o.quarantineId);
  if (record === undefined)
    throw new NotFoundError(
      `quarantine ${o.quarantineId} is not in ledger table ${ledger.tableName}`,
      'quarantine',
    );
  const state = reportOf(record);
  const version = findVersion(state, o.versionId);
  if (version === undefined)
    throw new NotFoundError(
      o.versionId === undefined
        ? `no report has been issued for ${record.incidentId}/${o.quarantineId}${state.lastFailure === undefined ? '' : ` (last attempt failed: ${state.lastFailure.detail})`}`
        : `no report version of ${record.incidentId}/${o.quarantineId} has S3 version ${o.versionId}`,
      'report',
    );
  const object = version.objects.find((x) => x.name === REPORT_NAMES[o.format]);
  if (object === undefined)
    throw new NotFoundError(`the report version of ${version.at} has no ${REPORT_NAMES[o.format]}`, 'report');
  const read = await readSealed(s3, o.bucket, object);
  if (read.status === 'mismatch')
    throw new CheckFailedError(
      `${object.key}${object.versionId === undefined ? '' : ` (version ${object.versionId})`} does not match the ledger: its SHA-256 is ${read.actual}, the ledger recorded ${object.sha256}`,
    );
  if (read.status === 'unreadable') throw new CheckFailedError(`could not read the report: ${read.detail}`);
  return {
    quarantineId: o.quarantineId,
    key: object.key,
    ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
    sha256: object.sha256,
    issuedAt: version.at,
    version: state.versions.indexOf(version) + 1,
    versions: state.versions.length,
    content: read.bytes,
  };
}
