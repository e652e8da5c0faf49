import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorName } from '../errors';
import { archivedLine, needsRestore } from './archive-state';
import { compositeSha256, parseComposite } from './checksums';
import { mapLimit } from './concurrency';
import type { ImageRecord } from './manifest';

export interface ObjectReport {
  readonly key: string;
  readonly versionId?: string;
  readonly ok: boolean;
  readonly retention?: { readonly mode?: string; readonly until?: string };
  readonly legalHold?: string;
  /** Set when the object must be restored before it can be read (its storage class). */
  readonly archived?: string;
}

/** SHA-256 of a streamed body, without buffering it. */
export async function hashBody(
  body: AsyncIterable<Uint8Array> | undefined,
): Promise<{ digest: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body ?? []) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { digest: h.digest('base64'), bytes };
}

/**
 * Checks one image: size, S3's composite against the manifest, and every part re-hashed from parallel
 * ranged reads. Problems are appended to `problems`, naming the object and the part.
 */
export async function verifyImage(
  s3: S3Client,
  bucket: string,
  img: ImageRecord,
  concurrency: number,
  rangeBytes: number,
  problems: string[],
) {
  const at = `${img.key} (version ${img.versionId})`;
  const before = problems.length;
  let head: HeadObjectCommandOutput;
  try {
    head = await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: img.key,
        VersionId: img.versionId,
        ChecksumMode: 'ENABLED',
      }),
    );
  } catch (err) {
    problems.push(`${at}: missing from the vault (${awsErrorName(err) ?? String(err)})`);
    return { key: img.key, versionId: img.versionId, ok: false };
  }
  // An archived image cannot be read until restored (GetObject: InvalidObjectState): say so, read nothing.
  const archived = needsRestore(head);
  if (archived !== undefined) {
    problems.push(archivedLine({ key: at, storageClass: archived }));
    return { key: img.key, versionId: img.versionId, ok: false, archived };
  }
  if (head.ContentLength !== img.length)
    problems.push(`${at}: size ${head.ContentLength}, manifest says ${img.length}`);
  // S3's composite is the SHA-256 of its stored part digests: matching it, with every part re-hashed
  // to the manifest's digest below, checks S3's per-part checksums too.
  if (compositeSha256(img.partSha256) !== img.compositeSha256)
    problems.push(`${at}: manifest composite does not match its part list`);
  const stored = head.ChecksumSHA256 === undefined ? undefined : parseComposite(head.ChecksumSHA256);
  const expected = parseComposite(img.compositeSha256);
  if (stored === undefined) problems.push(`${at}: S3 reports no SHA-256 checksum`);
  else if (
    stored.digest !== expected.digest ||
    (stored.parts !== undefined && stored.parts !== expected.parts)
  ) {
    problems.push(`${at}: S3 composite SHA-256 ${head.ChecksumSHA256}, manifest says ${img.compositeSha256}`);
  }
  // Parallel ranged reads of whole parts; each range is streamed and hashed part by part as it passes.
  const perRange = Math.max(1, Math.floor(rangeBytes / img.partSize));
  const ranges = Array.from({ length: Math.ceil(img.partCount / perRange) }, (_, i) => i * perRange + 1);
  await mapLimit(ranges, concurrency, async (first) => {
    const last = Math.min(img.partCount, first + perRange - 1);
    const start = (first - 1) * img.partSize;
    const end = Math.min(img.length, last * img.partSize) - 1;
    const res = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: img.key,
        VersionId: img.versionId,
        Range: `bytes=${start}-${end}`,
      }),
    );
    let n = first;
    let h = createHash('sha256');
    let left = Math.min(img.partSize, img.length - start);
    const close = () => {
      const digest = h.digest('base64');
      const want = img.partSha256[n - 1];
      if (digest !== want) problems.push(`${at}: part ${n} has SHA-256 ${digest}, manifest says ${want}`);
      n += 1;
      h = createHash('sha256');
      left = Math.min(img.partSize, img.length - (n - 1) * img.partSize);
    };
    for await (const chunk of (res.Body as AsyncIterable<Uint8Array> | undefined) ?? []) {
      for (let off = 0; off < chunk.length; ) {
        const take = Math.min(left, chunk.length - off);
        h.update(chunk.subarray(off, off + take));
        off += take;
        left -= take;
        if (left === 0) close();
      }
    }
    if (n <= last) problems.push(`${at}: part ${n} is truncated in the vault`);
  });
  return {
    key: img.key,
    versionId: img.versionId,
    ok: problems.length === before,
    retention: {
      ...(head.ObjectLockMode === undefined ? {} : { mode: head.ObjectLockMode }),
      ...(head.ObjectLockRetainUntilDate === undefined
        ? {}
        : { until: head.ObjectLockRetainUntilDate.toISOString() }),
    },
    ...(head.ObjectLockLegalHoldStatus === undefined ? {} : { legalHold: head.ObjectLockLegalHoldStatus }),
  };
}
