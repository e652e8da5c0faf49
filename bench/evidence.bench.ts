import { createHash, randomBytes } from 'node:crypto';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { sha256b64, zeroSha256b64 } from '../lambdas/core/evidence/checksums';
import { mapLimit } from '../lambdas/core/evidence/concurrency';
import { BLOCK_SIZE, DEFAULT_EVIDENCE_CONFIG, GIB, MIB } from '../lambdas/core/evidence/config';
import type { Segment } from '../lambdas/core/evidence/evidence-record';
import { exportSegment } from '../lambdas/core/evidence/export-segment';
import { planObjects, planSegments } from '../lambdas/core/evidence/part-plan';
import { type Figure, round } from './figures';

/** This core's SHA-256 throughput (MB/s), hashing 8 MiB buffers like the pipeline's parts. */
function sha256Throughput(): number {
  const buf = randomBytes(8 * MIB);
  const rounds = 48;
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) createHash('sha256').update(buf).digest();
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return (rounds * buf.length) / 1e6 / s;
}

/**
 * One export worker over in-process stand-ins of the EBS direct APIs and S3: real SDK client objects
 * whose `send` answers from memory (blocks from one buffer, uploads consumed), so the pipeline itself
 * is measured (listing, block checks, part assembly and hashing, concurrency), not a network or an
 * emulator. (aws-sdk-client-mock would keep every uploaded part in its call history.)
 */
async function exportVolume(volumeBytes: number, written: (block: number) => boolean, scanSecrets = true) {
  const block = randomBytes(BLOCK_SIZE);
  const checksum = sha256b64(block);
  const totalBlocks = volumeBytes / BLOCK_SIZE;
  const ebs = Object.assign(new EBSClient({ region: 'eu-west-1' }), {
    send: async (cmd: unknown) => {
      if (cmd instanceof GetSnapshotBlockCommand) {
        return {
          // A body as the SDK streams it off a socket: the block in 64 KiB chunks.
          BlockData: (async function* () {
            for (let at = 0; at < BLOCK_SIZE; at += 64 * 1024) yield block.subarray(at, at + 64 * 1024);
          })(),
          Checksum: checksum,
          ChecksumAlgorithm: 'SHA256',
        };
      }
      if (!(cmd instanceof ListSnapshotBlocksCommand)) throw new Error('unexpected EBS call');
      const Blocks: { BlockIndex: number; BlockToken: string }[] = [];
      let i = cmd.input.StartingBlockIndex ?? 0;
      for (; i < totalBlocks && Blocks.length < (cmd.input.MaxResults ?? 10_000); i += 1) {
        if (written(i)) Blocks.push({ BlockIndex: i, BlockToken: 't' });
      }
      return { Blocks, ...(i < totalBlocks ? { NextToken: String(i) } : {}) };
    },
  });
  const s3 = Object.assign(new S3Client({ region: 'eu-west-1' }), {
    send: async (cmd: unknown) => {
      if (cmd instanceof UploadPartCommand) return { ETag: '"p"' };
      if (cmd instanceof PutObjectCommand) return { VersionId: 'v' };
      if (!(cmd instanceof UploadPartCopyCommand)) throw new Error('unexpected S3 call');
      const size = Number(cmd.input.CopySourceRange?.split('-')[1]) + 1;
      return { CopyPartResult: { ETag: '"z"', ChecksumSHA256: zeroSha256b64(size) } };
    },
  });
  const [o] = planObjects(volumeBytes);
  if (o === undefined) throw new Error('no plan');
  const base = { volumeId: 'vol-1', snapshotId: 'snap-1', key: 'k', uploadId: 'u', zeroKey: 'z', ...o };
  const segments: Segment[] = planSegments(o.partCount, DEFAULT_EVIDENCE_CONFIG.segmentParts).map((r) => ({
    ...base,
    ...r,
  }));
  const clients = { ebs, s3 };
  const t = process.hrtime.bigint();
  const results = await mapLimit(segments, 1, (s) =>
    exportSegment(clients, 'vault', s, DEFAULT_EVIDENCE_CONFIG, { scanSecrets }),
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + f(r), 0);
  return { seconds, downloaded: sum((r) => r.bytesDownloaded), uploaded: sum((r) => r.bytesUploaded) };
}

export default async function evidenceBench(): Promise<Figure[]> {
  const baselineRss = process.memoryUsage().rss;
  // SHA-256 measured right before and after the dense run and averaged: the box is shared, so load
  // changes between the two figures would otherwise skew their ratio.
  // Warm-up, untimed: the digest threads start, JIT and WebAssembly tiers settle, buffers are mapped
  // (a Lambda does this once per container, before its first segment).
  await exportVolume(256 * MIB, () => true);
  // The secret scan on (as deployed) and off, each between two SHA-256 measurements.
  const before = sha256Throughput();
  const dense = await exportVolume(4 * GIB, () => true);
  const between = sha256Throughput();
  const scanOff = await exportVolume(4 * GIB, () => true, false);
  const sha = (before + between) / 2;
  const shaOff = (between + sha256Throughput()) / 2;
  const denseMBs = dense.downloaded / 1e6 / dense.seconds;
  const scanOffMBs = scanOff.downloaded / 1e6 / scanOff.seconds;
  // 2 GiB written as 32 extents of 64 MiB spread over 64 GiB, as a filesystem allocates.
  const extentBlocks = (64 * MIB) / BLOCK_SIZE;
  const stride = (2 * GIB) / BLOCK_SIZE;
  const sparse = await exportVolume(64 * GIB, (b) => b % stride < extentBlocks);
  return [
    { name: 'evidence.sha256_mb_per_s', value: round(sha), unit: 'MB/s (one core, createHash)' },
    {
      name: 'evidence.dense_mb_per_s',
      value: round(denseMBs),
      unit: 'MB/s of written data, one worker, 4 GiB fully written',
    },
    {
      name: 'evidence.ratio_to_sha256',
      value: round(denseMBs / sha),
      unit: 'x (dense throughput / SHA-256 throughput)',
    },
    {
      name: 'evidence.scan_off_ratio_to_sha256',
      value: round(scanOffMBs / shaOff),
      unit: 'x (same export with the secret scan off / SHA-256 throughput)',
    },
    {
      name: 'evidence.sparse_bytes_moved_per_byte_written',
      value: round(sparse.uploaded / sparse.downloaded, 3),
      unit: 'bytes sent to S3 per written byte (64 GiB volume, 2 GiB written; EBS reads = written bytes)',
    },
    {
      name: 'evidence.sparse_mb_per_s',
      value: round(sparse.downloaded / 1e6 / sparse.seconds),
      unit: 'MB/s of written data',
    },
    {
      name: 'evidence.peak_rss_mib',
      value: round(process.resourceUsage().maxRSS / 1024),
      unit: 'MiB (whole bench process)',
    },
    {
      name: 'evidence.baseline_rss_mib',
      value: round(baselineRss / MIB),
      unit: 'MiB (same process before the exports)',
    },
  ];
}
