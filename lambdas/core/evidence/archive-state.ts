import { awsErrorName } from '../errors';

/** An evidence object that must be restored before it can be read. */
export interface ArchivedObject {
  readonly key: string;
  readonly versionId?: string;
  /** GLACIER, DEEP_ARCHIVE, or INTELLIGENT_TIERING (with its archive tier after a slash). */
  readonly storageClass: string;
}

type ArchiveHead = { StorageClass?: string; ArchiveStatus?: string; Restore?: string };

/**
 * Storage classes an object must be restored from before it can be read or copied: GetObject answers
 * InvalidObjectState and UploadPartCopy ObjectNotInActiveTierError. HeadObject names the class in
 * x-amz-storage-class and, for S3 Intelligent-Tiering's opt-in archive tiers, x-amz-archive-status.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export function isArchived(h: ArchiveHead): boolean {
  return (
    h.StorageClass === 'GLACIER' ||
    h.StorageClass === 'DEEP_ARCHIVE' ||
    h.ArchiveStatus === 'ARCHIVE_ACCESS' ||
    h.ArchiveStatus === 'DEEP_ARCHIVE_ACCESS'
  );
}

/**
 * A completed restore leaves a readable temporary copy: HeadObject's x-amz-restore then says
 * `ongoing-request="false", expiry-date="..."` (`"true"` while the restore runs).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#API_HeadObject_ResponseSyntax
 */
export const isRestored = (h: ArchiveHead): boolean => /ongoing-request="false"/.test(h.Restore ?? '');

/** The storage class to name when `h` must be restored before reading, else undefined. */
export function needsRestore(h: ArchiveHead): string | undefined {
  if (!isArchived(h) || isRestored(h)) return undefined;
  return h.ArchiveStatus === undefined
    ? (h.StorageClass ?? 'archive')
    : `${h.StorageClass ?? 'INTELLIGENT_TIERING'}/${h.ArchiveStatus}`;
}

/**
 * The storage class an InvalidObjectState error names (GetObject of an archived object; the error body
 * carries StorageClass and AccessTier), or undefined for any other error.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export function archivedClassOf(err: unknown): string | undefined {
  if (awsErrorName(err) !== 'InvalidObjectState') return undefined;
  const e = err as { StorageClass?: string; AccessTier?: string };
  return [e.StorageClass ?? 'archive', e.AccessTier].filter(Boolean).join('/');
}

/** One line a reviewer can act on. */
export const archivedLine = (a: ArchivedObject) =>
  `${a.key}${a.versionId === undefined ? '' : ` (version ${a.versionId})`}: archived (${a.storageClass}), restore first`;
