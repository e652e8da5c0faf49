import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { S3Client, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256b64, zeroSha256b64 } from '../../../lambdas/core/evidence/checksums';
import { BLOCK_SIZE, DEFAULT_EVIDENCE_CONFIG } from '../../../lambdas/core/evidence/config';
import type { Segment } from '../../../lambdas/core/evidence/evidence-record';
import { exportSegment } from '../../../lambdas/core/evidence/export-segment';
import { blob } from './blob';

const fixture: Segment = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/evidence/segment.json'), 'utf8'),
);

const ebs = mockClient(EBSClient);
const s3 = mockClient(S3Client);
const tuning = { ...DEFAULT_EVIDENCE_CONFIG, throttleBaseMs: 1 };
const block = Buffer.alloc(BLOCK_SIZE, 0xab);
const body = () => blob(block);
const throttled = () => Object.assign(new Error('slow down'), { name: 'RequestThrottledException' });

describe('Function: exportSegment', () => {
  let seg: Segment;
  beforeEach(() => {
    seg = structuredClone(fixture);
    // Part 1 holds written block 3; part 2 (blocks 16-31) was never written.
    ebs.on(ListSnapshotBlocksCommand).resolves({
      Blocks: [
        { BlockIndex: 3, BlockToken: 't3' },
        { BlockIndex: 40, BlockToken: 't40' },
      ],
    });
    ebs.on(GetSnapshotBlockCommand).callsFake(() => ({
      BlockData: body(),
      Checksum: sha256b64(block),
      ChecksumAlgorithm: 'SHA256',
      DataLength: BLOCK_SIZE,
    }));
    s3.on(UploadPartCommand).resolves({ ETag: '"e1"' });
    s3.on(UploadPartCopyCommand).resolves({
      CopyPartResult: { ETag: '"z"', ChecksumSHA256: zeroSha256b64(8 * 1024 * 1024) },
    });
  });
  afterEach(() => {
    ebs.reset();
    s3.reset();
  });

  it('uploads written parts with their SHA-256 and copies never-written parts from the zero object', async () => {
    // Act
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning);
    // Assess
    const part = Buffer.alloc(8 * 1024 * 1024);
    part.set(block, 3 * BLOCK_SIZE);
    expect(s3).toHaveReceivedCommandWith(UploadPartCommand, {
      PartNumber: 1,
      ChecksumSHA256: sha256b64(part),
    });
    expect(s3).toHaveReceivedCommandWith(UploadPartCopyCommand, {
      PartNumber: 2,
      CopySource: `vault/${seg.zeroKey}`,
      CopySourceRange: 'bytes=0-8388607',
    });
    expect(r).toMatchObject({ dataParts: 1, zeroParts: 1, writtenBlocks: 1, bytesDownloaded: BLOCK_SIZE });
    expect(ebs).toHaveReceivedCommandTimes(GetSnapshotBlockCommand, 1);
  });

  it('backs off and retries when the EBS direct APIs throttle', async () => {
    ebs
      .on(GetSnapshotBlockCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .callsFake(() => ({ BlockData: body(), Checksum: sha256b64(block), ChecksumAlgorithm: 'SHA256' }));
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning);
    expect(r.dataParts).toBe(1);
    expect(ebs).toHaveReceivedCommandTimes(GetSnapshotBlockCommand, 3);
  });

  it('refuses a block whose data does not match the SHA-256 EBS returned, uploading nothing', async () => {
    ebs.on(GetSnapshotBlockCommand).callsFake(() => ({
      BlockData: body(),
      Checksum: sha256b64(Buffer.from('other')),
      ChecksumAlgorithm: 'SHA256',
    }));
    await expect(
      exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning),
    ).rejects.toThrow(/block 3 .* does not match the SHA-256/);
    expect(s3).not.toHaveReceivedCommand(UploadPartCommand);
  });

  // moto 5.2.1 returns no CopyPartResult checksum; AWS returns the part's SHA-256 for uploads created
  // with ChecksumAlgorithm SHA256 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyPartResult.html).
  it('fails when S3 reports a zero-copied part with a SHA-256 other than that of zeros', async () => {
    s3.on(UploadPartCopyCommand).resolves({
      CopyPartResult: { ETag: '"z"', ChecksumSHA256: sha256b64(Buffer.from('x')) },
    });
    await expect(
      exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning),
    ).rejects.toThrow(/part 2 .* zero copy has SHA-256/);
  });
});
