import { type EBSClient, GetSnapshotBlockCommand } from '@aws-sdk/client-ebs';
import { type S3Client, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { StepFailedError } from '../errors';
import { EDGE_COPY } from '../investigation/secrets/secret-scan';
import type { SegmentFindings } from '../investigation/secrets/segment-findings';
import { copyInto, readBlockInto } from './block-read';
import { zeroSha256b64 } from './checksums';
import { mapLimit, Semaphore, withBackoff } from './concurrency';
import { BLOCK_SIZE, type EvidenceConfig } from './config';
import { type DigestPool, digestPool } from './digest/pool';
import type { Segment } from './evidence-record';
import type { PartBuffer } from './part-buffers';
import { partRange } from './part-plan';
import { writeSegmentFindings } from './segment-findings-object';
import { SegmentScan } from './segment-scan';
import { type BlockRef, writtenBlocks } from './written-blocks';

const ZERO_BLOCK = new Uint8Array(BLOCK_SIZE);

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
  /** Credential-shaped strings found in the segment's written blocks (redacted), when scanned. */
  readonly secrets?: Pick<SegmentFindings, 'dropped' | 'scannedBytes' | 'incomplete'> & { found: number };
}

type Tuning = Pick<
  EvidenceConfig,
  | 'blockConcurrency'
  | 'partConcurrency'
  | 'memoryBudgetBytes'
  | 'throttleRetries'
  | 'throttleBaseMs'
  | 'retentionDays'
  | 'legalHold'
>;

export interface ExportOptions {
  /** The digest threads (default: the process's pool). */
  readonly pool?: DigestPool;
  /** Scan written blocks for credentials (default true; the bench measures the cost of both). */
  readonly scanSecrets?: boolean;
}

/**
 * Exports one segment (a range of parts) of one image into its multipart upload. Written blocks are
 * read with the EBS direct APIs straight into shared part buffers and checked against the SHA-256 EBS
 * returns; each part is uploaded with its SHA-256 so S3 verifies it. Both digests and the secret scan
 * run on the digest threads (digest/pool.ts), so the event loop only moves bytes. Parts with no
 * written block are copied server side from the vault's zero object. Idempotent: a re-run uploads the
 * same parts again (S3 keeps the last upload of a number) and writes a new version of the findings.
 * Memory: at most partConcurrency part buffers (capped by memoryBudgetBytes / partSize, at least one).
 * https://docs.aws.amazon.com/ebs/latest/APIReference/API_GetSnapshotBlock.html
 */
export async function exportSegment(
  c: { readonly ebs: EBSClient; readonly s3: S3Client },
  bucket: string,
  seg: Segment,
  t: Tuning,
  o: ExportOptions = {},
): Promise<SegmentResult> {
  const pool = o.pool ?? digestPool();
  const backoff = { retries: t.throttleRetries, baseMs: t.throttleBaseMs };
  const { byPart, next } = await writtenBlocks(c.ebs, seg);
  const gate = new Semaphore(t.blockConcurrency);
  const parts = Array.from({ length: seg.lastPart - seg.firstPart + 1 }, (_, i) => seg.firstPart + i);
  const inFlight = Math.max(1, Math.min(t.partConcurrency, Math.floor(t.memoryBudgetBytes / seg.partSize)));
  const scan = o.scanSecrets === false ? undefined : new SegmentScan(pool, seg.volumeId);
  const target = { Bucket: bucket, Key: seg.key, UploadId: seg.uploadId };
  let downloaded = 0;
  let uploaded = 0;
  let written = 0;

  /** Reads a block into its slot of `buf`; returns the SHA-256 EBS gave for it. */
  const readBlock = async (b: BlockRef, buf: PartBuffer, at: number) => {
    const where = blockName(b);
    const landed = await gate.use(async () => {
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
      await readBlockInto(res.BlockData, buf.bytes, at, where);
      return res;
    });
    downloaded += BLOCK_SIZE;
    return { algorithm: landed.ChecksumAlgorithm, checksum: landed.Checksum };
  };
  const blockName = (b: BlockRef) => `block ${b.index} of ${seg.snapshotId}`;
  const checkBlock = (b: BlockRef, ebsSays: { algorithm?: string; checksum?: string }, digest?: string) => {
    if (ebsSays.algorithm !== 'SHA256' || digest !== ebsSays.checksum) {
      throw new StepFailedError(
        `${blockName(b)}: data does not match the SHA-256 EBS returned`,
        'export-segment',
      );
    }
  };

  const zeroPart = async (partNumber: number, size: number) => {
    const res = await withBackoff(
      () =>
        c.s3.send(
          new UploadPartCopyCommand({
            ...target,
            PartNumber: partNumber,
            CopySource: `${bucket}/${seg.zeroKey.split('/').map(encodeURIComponent).join('/')}`,
            CopySourceRange: `bytes=0-${size - 1}`,
          }),
        ),
      backoff,
    );
    const got = res.CopyPartResult?.ChecksumSHA256;
    if (got !== undefined && got !== zeroSha256b64(size)) {
      throw new StepFailedError(
        `part ${partNumber} of ${seg.key}: zero copy has SHA-256 ${got}`,
        'export-segment',
      );
    }
  };

  const dataPart = async (partNumber: number, list: BlockRef[]) => {
    const buf = pool.buffers.take(seg.partSize);
    try {
      await uploadPart(partNumber, list, buf);
    } finally {
      // Back to the pool only when no block read, digest or scan still uses it (uploadPart settles all).
      pool.buffers.give(buf);
    }
  };

  /** Fills `buf` with the part, checks every block and scans the part, uploads it. */
  const uploadPart = async (partNumber: number, list: BlockRef[], buf: PartBuffer) => {
    const range = partRange(seg, partNumber);
    const part = buf.bytes.subarray(0, range.size);
    // The buffer is reused: unwritten blocks of the part are zeroed explicitly (a copy, see copyInto:
    // a numeric fill of shared memory goes element by element in V8 too).
    const present = new Set(list.map((b) => b.index));
    for (let i = range.firstBlock; i < range.endBlock; i += 1) {
      const at = (i - range.firstBlock) * BLOCK_SIZE;
      if (!present.has(i)) copyInto(part, ZERO_BLOCK.subarray(0, Math.min(BLOCK_SIZE, part.length - at)), at);
    }
    const starts = list.map((b) => b.index * BLOCK_SIZE - range.volumeStart);
    // Every block settles before the part goes on or fails: none may still be writing into a buffer
    // that a later part reuses.
    const reads = await Promise.allSettled(list.map((b, i) => readBlock(b, buf, starts[i] ?? 0)));
    const failed = reads.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    // Two tasks of about equal size, one per digest thread: the part's SHA-256, and the block checks
    // with the secret scan. Both settle before the buffer can be reused.
    const [checked, digest] = await Promise.allSettled([
      pool.checkBlocks(
        buf.id,
        range.size,
        starts,
        BLOCK_SIZE,
        scan?.partOptions(range.volumeStart, range.size),
      ),
      pool.sha256(buf.id, 0, range.size),
    ]);
    if (checked.status === 'rejected') throw checked.reason;
    if (digest.status === 'rejected') throw digest.reason;
    reads.forEach((r, i) => {
      const b = list[i];
      if (r.status === 'fulfilled' && b !== undefined) checkBlock(b, r.value, checked.value.digests[i]);
    });
    scan?.part(partNumber, range.volumeStart, range.size, checked.value);
    const checksum = digest.value;
    const res = await withBackoff(
      () =>
        c.s3.send(
          new UploadPartCommand({
            ...target,
            PartNumber: partNumber,
            Body: part,
            ContentLength: part.length,
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
    uploaded += part.length;
    written += list.length;
  };

  const results = await mapLimit(parts, inFlight, async (partNumber) => {
    const list = byPart.get(partNumber) ?? [];
    if (list.length > 0) {
      await dataPart(partNumber, list);
      return 'data' as const;
    }
    const range = partRange(seg, partNumber);
    scan?.zeroPart(partNumber, range.volumeStart, range.size);
    await zeroPart(partNumber, range.size);
    return 'zero' as const;
  });
  const secrets =
    scan === undefined
      ? undefined
      : await writeSegmentFindings(c.s3, bucket, seg, t, await scan.finish(parts, await nextHead()));
  return {
    key: seg.key,
    firstPart: seg.firstPart,
    lastPart: seg.lastPart,
    dataParts: results.filter((r) => r === 'data').length,
    zeroParts: results.filter((r) => r === 'zero').length,
    writtenBlocks: written,
    bytesDownloaded: downloaded,
    bytesUploaded: uploaded,
    ...(secrets === undefined ? {} : { secrets }),
  };

  /** The first bytes after the segment, read (and checked) only when that block is written. */
  async function nextHead(): Promise<Uint8Array | undefined> {
    if (next === undefined) return undefined;
    const buf = pool.buffers.take(seg.partSize);
    try {
      checkBlock(next, await readBlock(next, buf, 0), await pool.sha256(buf.id, 0, BLOCK_SIZE));
      downloaded -= BLOCK_SIZE; // read for the scan only: not part of this segment's image bytes
      return new Uint8Array(buf.bytes.subarray(0, EDGE_COPY));
    } catch (err) {
      // The scan, not the evidence, needs this block: the segment's own export stands.
      scan?.incomplete(
        `block ${next.index} after the segment: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    } finally {
      pool.buffers.give(buf);
    }
  }
}
