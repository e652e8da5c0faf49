import { createHash, webcrypto } from 'node:crypto';

/** Base64 SHA-256, the encoding S3 (x-amz-checksum-sha256) and EBS (x-amz-Checksum) use. */
export function sha256b64(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/**
 * Same digest computed off the main thread: Node runs WebCrypto digests on the libuv thread pool, so
 * block verification overlaps with part hashing and uploads instead of queueing behind them.
 */
export async function sha256b64Async(data: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', data);
  return Buffer.from(digest).toString('base64');
}

const zeroDigests = new Map<number, string>();
const ZERO_CHUNK = Buffer.alloc(8 * 1024 * 1024);

/** SHA-256 of `size` zero bytes: what S3 must report for a part copied from the zero object. */
export function zeroSha256b64(size: number): string {
  const cached = zeroDigests.get(size);
  if (cached !== undefined) return cached;
  const h = createHash('sha256');
  for (let left = size; left > 0; left -= ZERO_CHUNK.length) {
    h.update(left >= ZERO_CHUNK.length ? ZERO_CHUNK : ZERO_CHUNK.subarray(0, left));
  }
  const value = h.digest('base64');
  zeroDigests.set(size, value);
  return value;
}

/**
 * S3's composite checksum of a multipart object: SHA-256 over the concatenated binary part digests,
 * suffixed with the part count.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
 */
export function compositeSha256(partDigestsB64: ReadonlyArray<string>): string {
  const h = createHash('sha256');
  for (const d of partDigestsB64) h.update(Buffer.from(d, 'base64'));
  return `${h.digest('base64')}-${partDigestsB64.length}`;
}

/** Splits S3's "digest-N" composite value; N is undefined when S3 returned a bare digest. */
export function parseComposite(value: string): { digest: string; parts?: number } {
  const m = /^(.*)-(\d+)$/.exec(value);
  return m === null ? { digest: value } : { digest: m[1] ?? '', parts: Number(m[2]) };
}
