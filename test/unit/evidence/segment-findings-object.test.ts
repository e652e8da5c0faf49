import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Segment } from '../../../lambdas/core/evidence/evidence-record';
import { writeSegmentFindings } from '../../../lambdas/core/evidence/segment-findings-object';

const s3 = mockClient(S3Client);
const seg: Segment = {
  volumeId: 'vol-0a1b2c3d',
  snapshotId: 'snap-0a1b2c3d',
  key: 'evidence/INC-1/q-1/disks/vol-0a1b2c3d.raw',
  uploadId: 'upload-1',
  partSize: 8 * 1024 * 1024,
  partCount: 128,
  offset: 0,
  length: 1024 * 1024 * 1024,
  zeroKey: 'sequester-zero/8388608',
  firstPart: 1,
  lastPart: 64,
};
const found = { findings: [], dropped: 0, scannedBytes: 1024 };
const cfg = { retentionDays: 1, legalHold: false };
const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

describe('Function: writeSegmentFindings', () => {
  afterEach(() => s3.reset());

  it('writes the findings object only if no earlier attempt stored it (If-None-Match: *)', async () => {
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
    await writeSegmentFindings(new S3Client({}), 'vault', seg, cfg, found);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Key: `${seg.key}.secrets/1-64.json`,
      IfNoneMatch: '*',
      ObjectLockMode: 'COMPLIANCE',
    });
  });

  it("treats S3's 412 and 409 as the earlier attempt's object, so a retried segment adds no version", async () => {
    s3.on(PutObjectCommand).rejectsOnce(s3Error('PreconditionFailed', 412));
    await expect(writeSegmentFindings(new S3Client({}), 'vault', seg, cfg, found)).resolves.toMatchObject({
      found: 0,
    });
    s3.on(PutObjectCommand).rejectsOnce(s3Error('ConditionalRequestConflict', 409));
    await expect(writeSegmentFindings(new S3Client({}), 'vault', seg, cfg, found)).resolves.toBeDefined();
  });

  it('fails the segment on any other error', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(writeSegmentFindings(new S3Client({}), 'vault', seg, cfg, found)).rejects.toThrow(
      /AccessDenied/,
    );
  });
});
