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
import { sha256b64 } from './checksums';
import { MIB } from './config';

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
export const zeroKey = (prefix: string, size: number) => `${prefix}.sequester/zero/${size}.bin`;

async function exists(s3: S3Client, bucket: string, key: string, size: number): Promise<boolean> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return h.ContentLength === size;
  } catch (err) {
    if (awsErrorName(err) === 'NotFound' || awsErrorName(err) === 'NoSuchKey') return false;
    throw err;
  }
}

/**
 * An all-zero object of at least `size` bytes that never-written parts are copied from server side
 * (UploadPartCopy), so sparse volumes cost no transfer. Built once per part size: an 8 MiB zero object
 * uploaded once, larger ones assembled from it by UploadPartCopy. Returns the key to copy from.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
export async function ensureZeroObject(s3: S3Client, bucket: string, prefix: string, size: number) {
  const base = zeroKey(prefix, BASE_ZERO);
  if (!(await exists(s3, bucket, base, BASE_ZERO))) {
    const body = Buffer.alloc(BASE_ZERO);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: base,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256b64(body),
      }),
    );
  }
  if (size <= BASE_ZERO) return base;
  const key = zeroKey(prefix, size);
  if (await exists(s3, bucket, key, size)) return key;
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
        CopySource: `${bucket}/${base}`,
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
