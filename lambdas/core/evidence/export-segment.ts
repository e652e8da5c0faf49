import { type EBSClient, GetSnapshotBlockCommand, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import { type S3Client, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { StepFailedError } from '../errors';
import { sha256b64, sha256b64Async, zeroSha256b64 } from './checksums';
import { mapLimit, Semaphore, withBackoff } from './concurrency';
import { BLOCK_SIZE, type EvidenceConfig } from './config';
import type { Segment } from './evidence-record';
import { partRange } from './part-plan';

export interface SegmentResult {
  readonly key: string;
  readonly firstPart: number;
  readonly lastPart: number;
  readonly dataParts: number;
  readonly zeroParts: number;
  readonly writtenBlocks: number;
  /** Bytes read from the EBS direct APIs and sent to S3 by this worker (zero parts move nothing). */
  readonly bytesDownloaded: number;
  readonly bytesUploaded: number;
}

type Tuning = Pick<
  EvidenceConfig,
  'blockConcurrency' | 'partConcurrency' | 'memoryBudgetBytes' | 'throttleRetries' | 'throttleBaseMs'
>;

/** Written blocks of the segment, by part number. ListSnapshotBlocks lists only written blocks, in order. */
async function writtenBlocks(
  ebs: EBSClient,
  seg: Segment,
): Promise<Map<number, { index: number; token: string }[]>> {
  const first = partRange(seg, seg.firstPart).firstBlock;
  const end = partRange(seg, seg.lastPart).endBlock;
  const byPart = new Map<number, { index: number; token: string }[]>();
  const pages = paginateListSnapshotBlocks(
    { client: ebs, pageSize: 10_000 },
    { SnapshotId: seg.snapshotId, StartingBlockIndex: first },
  );
  outer: for await (const page of pages) {
    for (const b of page.Blocks ?? []) {
      const index = b.BlockIndex ?? -1;
      if (index >= end) break outer;
      if (index < first || b.BlockToken === undefined) continue;
      const part = Math.floor((index * BLOCK_SIZE - seg.offset) / seg.partSize) + 1;
      const list = byPart.get(part) ?? [];
      list.push({ index, token: b.BlockToken });
      byPart.set(part, list);
    }
  }
  return byPart;
}

/**
 * Exports one segment (a range of parts) of one image into its multipart upload. Written blocks are
 * read with the EBS direct APIs and checked against the SHA-256 EBS returns; each part is uploaded with
 * its SHA-256 so S3 verifies it. Parts with no written block are copied server side from the vault's
 * zero object. Idempotent: a re-run uploads the same parts again (S3 keeps the last upload of a number).
 * Memory: at most partConcurrency part buffers (capped by memoryBudgetBytes / partSize, at least one).
 * https://docs.aws.amazon.com/ebs/latest/APIReference/API_GetSnapshotBlock.html
 */
export async function exportSegment(
  c: { readonly ebs: EBSClient; readonly s3: S3Client },
  bucket: string,
  seg: Segment,
  t: Tuning,
): Promise<SegmentResult> {
  const backoff = { retries: t.throttleRetries, baseMs: t.throttleBaseMs };
  const blocks = await writtenBlocks(c.ebs, seg);
  const gate = new Semaphore(t.blockConcurrency);
  const parts = Array.from({ length: seg.lastPart - seg.firstPart + 1 }, (_, i) => seg.firstPart + i);
  const inFlight = Math.max(1, Math.min(t.partConcurrency, Math.floor(t.memoryBudgetBytes / seg.partSize)));
  const pool: Buffer[] = [];
  let downloaded = 0;
  let uploaded = 0;
  let written = 0;
  const target = { Bucket: bucket, Key: seg.key, UploadId: seg.uploadId };
  const results = await mapLimit(parts, inFlight, async (partNumber) => {
    const range = partRange(seg, partNumber);
    const list = blocks.get(partNumber) ?? [];
    if (list.length === 0) {
      const res = await withBackoff(
        () =>
          c.s3.send(
            new UploadPartCopyCommand({
              ...target,
              PartNumber: partNumber,
              CopySource: `${bucket}/${seg.zeroKey.split('/').map(encodeURIComponent).join('/')}`,
              CopySourceRange: `bytes=0-${range.size - 1}`,
            }),
          ),
        backoff,
      );
      const got = res.CopyPartResult?.ChecksumSHA256;
      if (got !== undefined && got !== zeroSha256b64(range.size)) {
        throw new StepFailedError(
          `part ${partNumber} of ${seg.key}: zero copy has SHA-256 ${got}`,
          'export-segment',
        );
      }
      return 'zero' as const;
    }
    // Pooled part buffers: no fresh 8 MiB+ allocation (and page faults) per part; unwritten blocks of
    // the part are zeroed explicitly since the buffer is reused.
    const full = pool.pop() ?? Buffer.allocUnsafe(seg.partSize);
    const buf = full.subarray(0, range.size);
    const present = new Set(list.map((b) => b.index));
    for (let i = range.firstBlock; i < range.endBlock; i += 1) {
      const at = (i - range.firstBlock) * BLOCK_SIZE;
      if (!present.has(i)) buf.fill(0, at, Math.min(at + BLOCK_SIZE, buf.length));
    }
    await Promise.all(
      list.map((b) =>
        gate.use(async () => {
          const res = await withBackoff(
            () =>
              c.ebs.send(
                new GetSnapshotBlockCommand({
                  SnapshotId: seg.snapshotId,
                  BlockIndex: b.index,
                  BlockToken: b.token,
                }),
              ),
            backoff,
          );
          const data = await res.BlockData?.transformToByteArray();
          if (data === undefined || data.length !== BLOCK_SIZE) {
            throw new StepFailedError(`block ${b.index} of ${seg.snapshotId}: short read`, 'export-segment');
          }
          const digest = await sha256b64Async(data);
          if (res.ChecksumAlgorithm !== 'SHA256' || digest !== res.Checksum) {
            throw new StepFailedError(
              `block ${b.index} of ${seg.snapshotId}: data does not match the SHA-256 EBS returned`,
              'export-segment',
            );
          }
          const at = b.index * BLOCK_SIZE - range.volumeStart;
          buf.set(data.subarray(0, Math.min(BLOCK_SIZE, range.size - at)), at);
          downloaded += data.length;
        }),
      ),
    );
    const checksum = sha256b64(buf);
    const res = await withBackoff(
      () =>
        c.s3.send(
          new UploadPartCommand({
            ...target,
            PartNumber: partNumber,
            Body: buf,
            ContentLength: buf.length,
            // Both: the algorithm header is what S3 Object Lock buckets require on writes, the value is
            // the digest S3 checks the part against.
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: checksum,
          }),
        ),
      backoff,
    );
    if (res.ChecksumSHA256 !== undefined && res.ChecksumSHA256 !== checksum) {
      throw new StepFailedError(
        `part ${partNumber} of ${seg.key}: S3 stored a different SHA-256`,
        'export-segment',
      );
    }
    uploaded += buf.length;
    written += list.length;
    pool.push(full);
    return 'data' as const;
  });
  return {
    key: seg.key,
    firstPart: seg.firstPart,
    lastPart: seg.lastPart,
    dataParts: results.filter((r) => r === 'data').length,
    zeroParts: results.filter((r) => r === 'zero').length,
    writtenBlocks: written,
    bytesDownloaded: downloaded,
    bytesUploaded: uploaded,
  };
}
