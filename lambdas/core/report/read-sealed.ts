import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reasonOf } from '../errors';
import { sha256b64 } from '../evidence/checksums';
import type { SealedObject } from '../investigation/outcome';

/** A sealed object read back: its bytes when their SHA-256 is the one recorded, else why not. */
export type SealedRead =
  | { readonly status: 'verified'; readonly bytes: Buffer; readonly versionId?: string }
  /** The bytes differ from what the ledger or manifest recorded: an alarm, never used. */
  | { readonly status: 'mismatch'; readonly actual: string; readonly detail: string }
  | { readonly status: 'unreadable'; readonly detail: string };

/**
 * Reads one vault object by its version id (a later version under the same key is never taken for it)
 * and checks its SHA-256 against the one recorded when it was written. The hash is computed here over
 * the bytes received, so neither a replaced version nor a corrupted transfer passes.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RetrievingObjectVersions.html
 */
export async function readSealed(s3: S3Client, bucket: string, o: SealedObject): Promise<SealedRead> {
  let bytes: Buffer;
  let versionId: string | undefined;
  try {
    const res = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: o.key,
        ...(o.versionId === undefined ? {} : { VersionId: o.versionId }),
      }),
    );
    bytes = Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
    versionId = res.VersionId;
  } catch (err) {
    return { status: 'unreadable', detail: `${o.key}: ${reasonOf(err)}` };
  }
  const actual = sha256b64(bytes);
  if (actual !== o.sha256)
    return {
      status: 'mismatch',
      actual,
      detail: `${o.key}${o.versionId === undefined ? '' : ` (version ${o.versionId})`}: SHA-256 is ${actual}, the record says ${o.sha256}`,
    };
  return { status: 'verified', bytes, ...(versionId === undefined ? {} : { versionId }) };
}
