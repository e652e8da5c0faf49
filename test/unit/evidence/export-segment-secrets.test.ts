import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256b64 } from '../../../lambdas/core/evidence/checksums';
import { BLOCK_SIZE, DEFAULT_EVIDENCE_CONFIG, MIB } from '../../../lambdas/core/evidence/config';
import type { Segment } from '../../../lambdas/core/evidence/evidence-record';
import { exportSegment } from '../../../lambdas/core/evidence/export-segment';
import { SegmentFindings } from '../../../lambdas/core/investigation/secrets/segment-findings';
import { credentialsFile, PLANTED, pemFile, SECRET_VALUES } from '../investigation/secrets/planted-secrets';
import { blob } from './blob';

const ebs = mockClient(EBSClient);
const s3 = mockClient(S3Client);
const seg: Segment = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/evidence/segment.json'), 'utf8'),
);
const tuning = { ...DEFAULT_EVIDENCE_CONFIG, throttleBaseMs: 1 };

// Parts 1-2 (16 MiB) are the segment; part 3 belongs to the next one.
const volume = Buffer.alloc(24 * MIB);
const plant = (at: number, s: string) => {
  volume.write(s, at, 'latin1');
  return at;
};
const token = ` ${PLANTED.gitlab} `;
/** Where each planted secret starts on the volume. */
const at = {
  acrossBlocks: plant(4 * BLOCK_SIZE - 10, token) + 1,
  acrossParts: plant(8 * MIB - 30, credentialsFile()) + credentialsFile().indexOf('AKIA'),
  acrossSegments: plant(16 * MIB - 12, `\n${pemFile()}`) + 1,
  nextSegment: plant(16 * MIB + 4096, ` ${PLANTED.github} `) + 1,
};
const written = [3, 4, 15, 16, 31, 32, 40];

describe('Function: exportSegment (secret scan)', () => {
  beforeEach(() => {
    ebs.on(ListSnapshotBlocksCommand).resolves({
      Blocks: written.map((i) => ({ BlockIndex: i, BlockToken: `t${i}` })),
    });
    ebs.on(GetSnapshotBlockCommand).callsFake((input: { BlockIndex: number }) => {
      const data = volume.subarray(input.BlockIndex * BLOCK_SIZE, (input.BlockIndex + 1) * BLOCK_SIZE);
      return { BlockData: blob(data), Checksum: sha256b64(data), ChecksumAlgorithm: 'SHA256' };
    });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(UploadPartCopyCommand).resolves({ CopyPartResult: { ETag: '"z"' } });
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
  });
  afterEach(() => {
    ebs.reset();
    s3.reset();
  });

  it('finds secrets straddling a block, a part and the segment boundary, each once, and no further', async () => {
    // Act
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning);
    // Assess: the findings object beside the image lists them by volume offset.
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Key).toBe(`${seg.key}.secrets/1-2.json`);
    expect(put?.ObjectLockMode).toBe('COMPLIANCE');
    const doc = SegmentFindings.parse(JSON.parse(String(put?.Body)));
    expect(doc.findings.map((f) => [f.offset, f.kind])).toEqual([
      [at.acrossBlocks, 'gitlab-token'],
      [at.acrossParts, 'aws-access-key'],
      [at.acrossSegments, 'private-key'],
    ]);
    expect(doc).toMatchObject({ dropped: 0, scannedBytes: 16 * MIB });
    expect(r.secrets).toEqual({ found: 3, dropped: 0, scannedBytes: 16 * MIB });
    // The block after the segment is read for the scan, not counted as exported.
    expect(r.bytesDownloaded).toBe(5 * BLOCK_SIZE);
  });

  it('writes no secret value into the findings object or the result the handler logs', async () => {
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning);
    const stored = String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body);
    for (const secret of SECRET_VALUES) {
      expect(stored).not.toContain(secret);
      expect(JSON.stringify(r)).not.toContain(secret);
    }
  });

  it('exports the segment and reports the scan incomplete when the block after it cannot be read', async () => {
    ebs
      .on(GetSnapshotBlockCommand, { BlockIndex: 32 })
      .rejects(Object.assign(new Error('gone'), { name: 'ValidationException' }));
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning);
    expect(r.dataParts).toBe(2);
    expect(r.secrets?.incomplete).toMatch(/^block 32 after the segment/);
    expect(r.secrets?.found).toBe(2);
  });

  it('skips the scan and the findings object when the scan is off', async () => {
    const r = await exportSegment({ ebs: new EBSClient({}), s3: new S3Client({}) }, 'vault', seg, tuning, {
      scanSecrets: false,
    });
    expect(r.secrets).toBeUndefined();
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});
