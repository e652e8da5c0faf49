import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { zeroSha256b64 } from '../../lambdas/core/evidence/checksums';
import { mapLimit } from '../../lambdas/core/evidence/concurrency';
import type { ImageRecord } from '../../lambdas/core/evidence/manifest';
import type { ByteProgress } from './byte-progress';
import { sha256File } from './custody';
import type { LocatedManifest } from './locate';

export interface DownloadOptions {
  readonly out: string;
  readonly concurrency: number;
  /** Skip parts the manifest records as all zeros (left as holes: they read back as zeros). */
  readonly sparse: boolean;
}

export interface DownloadedImage {
  readonly path: string;
  readonly key: string;
  readonly versionId: string;
  readonly bytes: number;
  readonly partsDownloaded: number;
  readonly partsAlreadyPresent: number;
  readonly partsSkippedZero: number;
  /** Parts whose bytes did not hash to the manifest's SHA-256 (empty when the image is good). */
  readonly mismatchedParts: ReadonlyArray<number>;
  /** SHA-256 (hex, as `sha256sum` prints it) of the whole file written, when every part matched. */
  readonly sha256?: string;
}

const partRange = (img: ImageRecord, n: number) => {
  const start = (n - 1) * img.partSize;
  return { start, end: Math.min(start + img.partSize, img.length) - 1 };
};

/** SHA-256 of a byte range already on disk: a part downloaded by an earlier, interrupted run. */
async function hashOnDisk(f: FileHandle, start: number, end: number): Promise<string> {
  const h = createHash('sha256');
  const buf = Buffer.alloc(Math.min(8 * 1024 * 1024, end - start + 1));
  for (let pos = start; pos <= end; ) {
    const { bytesRead } = await f.read(buf, 0, Math.min(buf.length, end - pos + 1), pos);
    if (bytesRead === 0) break;
    h.update(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return h.digest('base64');
}

/**
 * Downloads every image of a manifest into `out` with parallel ranged GETs of the exact image version,
 * hashing each part as it streams to disk and checking it against the manifest. Resumable: a part whose
 * bytes are already on disk with the right SHA-256 is not fetched again. The manifest is saved beside.
 * A complete image is hashed whole (hex SHA-256) for the examiner and the chain of custody.
 */
export async function downloadEvidence(
  s3: S3Client,
  bucket: string,
  located: LocatedManifest,
  o: DownloadOptions,
  progress: ByteProgress,
): Promise<DownloadedImage[]> {
  await mkdir(o.out, { recursive: true });
  await writeFile(join(o.out, 'manifest.json'), `${JSON.stringify(located.manifest, null, 2)}\n`);
  const images = located.manifest.volumes.flatMap((v) => v.images);
  const results: DownloadedImage[] = [];
  for (const img of images) {
    const path = join(o.out, basename(img.key));
    const f = await open(path, 'a+').then(async (h) => {
      await h.close();
      return open(path, 'r+');
    });
    try {
      if ((await f.stat()).size !== img.length) await f.truncate(img.length);
      const counts = { downloaded: 0, present: 0, zero: 0 };
      const mismatched: number[] = [];
      const parts = img.partSha256.map((sha, i) => ({ n: i + 1, sha }));
      await mapLimit(parts, o.concurrency, async ({ n, sha }) => {
        const { start, end } = partRange(img, n);
        const size = end - start + 1;
        if (o.sparse && sha === zeroSha256b64(size)) {
          counts.zero += 1;
          progress.add(size, 1);
          return;
        }
        if ((await hashOnDisk(f, start, end)) === sha) {
          counts.present += 1;
          progress.add(size, 1);
          return;
        }
        const res = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: img.key,
            VersionId: img.versionId,
            Range: `bytes=${start}-${end}`,
          }),
        );
        const h = createHash('sha256');
        let pos = start;
        for await (const chunk of (res.Body ?? []) as AsyncIterable<Uint8Array>) {
          h.update(chunk);
          await f.write(chunk, 0, chunk.length, pos);
          pos += chunk.length;
          progress.add(chunk.length, 0);
        }
        progress.add(0, 1);
        counts.downloaded += 1;
        if (h.digest('base64') !== sha || pos !== end + 1) mismatched.push(n);
      });
      // Read back from disk once complete: parts arrive out of order, and this is what the file holds.
      const sha256 = mismatched.length === 0 ? await sha256File(path) : undefined;
      results.push({
        path,
        key: img.key,
        versionId: img.versionId,
        bytes: img.length,
        partsDownloaded: counts.downloaded,
        partsAlreadyPresent: counts.present,
        partsSkippedZero: counts.zero,
        mismatchedParts: mismatched.sort((a, b) => a - b),
        ...(sha256 === undefined ? {} : { sha256 }),
      });
    } finally {
      await f.close();
    }
  }
  return results;
}
