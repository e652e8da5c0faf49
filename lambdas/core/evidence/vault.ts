import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { awsErrorName, StepFailedError } from '../errors';
import { isArchived } from './archive-state';
import { sha256b64 } from './checksums';
import { MIB, ZERO_OBJECT_PREFIX } from './config';

/**
 * Refuses a vault whose Object Lock is not enabled: evidence written there could be deleted, so the
 * pipeline fails loudly before writing anything.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export async function assertLockedVault(s3: S3Client, bucket: string): Promise<void> {
  let enabled: string | undefined;
  try {
    const res = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    enabled = res.ObjectLockConfiguration?.ObjectLockEnabled;
  } catch (err) {
    if (awsErrorName(err) !== 'ObjectLockConfigurationNotFoundError') throw err;
  }
  if (enabled !== 'Enabled') {
    throw new StepFailedError(
      `vault bucket ${bucket} does not have S3 Object Lock enabled: refusing to write evidence there`,
      'vault-precheck',
    );
  }
}

const BASE_ZERO = 8 * MIB;
/** Fresh keys tried past archived zero objects before giving up (each archival takes months). */
const MAX_ZERO_GENERATIONS = 16;

/** The zero object of `size` bytes, generation `g` (a fresh key written when earlier ones were archived). */
export const zeroKey = (size: number, g = 0) => `${ZERO_OBJECT_PREFIX}${size}${g === 0 ? '' : `.g${g}`}.bin`;

type ZeroState = 'usable' | 'absent' | 'archived';

async function zeroState(s3: S3Client, bucket: string, key: string, size: number): Promise<ZeroState> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (isArchived(h)) return 'archived';
    // A wrong size (an interrupted assembly) is rewritten: a new version of the same key.
    return h.ContentLength === size ? 'usable' : 'absent';
  } catch (err) {
    if (awsErrorName(err) === 'NotFound' || awsErrorName(err) === 'NoSuchKey') return 'absent';
    throw err;
  }
}

/**
 * The first key of `size` whose zero object is usable or absent. An archived one is skipped, never
 * replaced: it may be locked (the vault's default retention), and a new version would not make the old
 * one readable to a copy that names it. Normally the first key: the zero prefix is outside the
 * cold-storage rule, so only an operator's own rule or an Intelligent-Tiering archive tier moves them.
 */
async function zeroSlot(s3: S3Client, bucket: string, size: number) {
  for (let g = 0; g < MAX_ZERO_GENERATIONS; g += 1) {
    const key = zeroKey(size, g);
    const state = await zeroState(s3, bucket, key, size);
    if (state !== 'archived') return { key, present: state === 'usable' };
  }
  throw new StepFailedError(
    `every zero object of ${size} bytes under ${ZERO_OBJECT_PREFIX} is archived: keep that prefix out of archiving lifecycle rules`,
    'plan-export',
  );
}

/**
 * An all-zero object of at least `size` bytes that never-written parts are copied from server side
 * (UploadPartCopy), so sparse volumes cost no transfer. Built once per part size: an 8 MiB zero object
 * uploaded once, larger ones assembled from it by UploadPartCopy. A zero object in an archive storage
 * class counts as absent (a fresh one is written under the next key). Returns the key to copy from.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
export async function ensureZeroObject(s3: S3Client, bucket: string, size: number) {
  const base = await zeroSlot(s3, bucket, BASE_ZERO);
  if (!base.present) {
    const body = Buffer.alloc(BASE_ZERO);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: base.key,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256b64(body),
      }),
    );
  }
  if (size <= BASE_ZERO) return base.key;
  const large = await zeroSlot(s3, bucket, size);
  if (large.present) return large.key;
  const key = large.key;
  const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts: { PartNumber: number; ETag: string }[] = [];
  for (let n = 1, left = size; left > 0; n += 1, left -= BASE_ZERO) {
    const len = Math.min(BASE_ZERO, left);
    const r = await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: key,
        UploadId: up.UploadId,
        PartNumber: n,
        CopySource: `${bucket}/${base.key}`,
        CopySourceRange: `bytes=0-${len - 1}`,
      }),
    );
    parts.push({ PartNumber: n, ETag: r.CopyPartResult?.ETag ?? '' });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: up.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  return key;
}

/** Where evidence of one quarantine lives in the vault. */
export function evidencePrefix(prefix: string, r: { incidentId: string; quarantineId: string }): string {
  return `${prefix}${r.incidentId}/${r.quarantineId}/`;
}
