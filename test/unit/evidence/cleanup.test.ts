import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { abortOrphanedUploads } from '../../../lambdas/core/evidence/cleanup';

const s3 = mockClient(S3Client);

describe('Function: abortOrphanedUploads', () => {
  afterEach(() => s3.reset());

  it('aborts old uploads nobody owns, on every page, and keeps recorded and recent ones', async () => {
    // Prepare
    const old = new Date('2026-11-01T00:00:00Z');
    s3.on(ListMultipartUploadsCommand)
      .resolvesOnce({
        Uploads: [
          { Key: 'e/a.raw', UploadId: 'orphan-1', Initiated: old },
          { Key: 'e/b.raw', UploadId: 'recorded', Initiated: old },
        ],
        IsTruncated: true,
        NextKeyMarker: 'e/b.raw',
        NextUploadIdMarker: 'recorded',
      })
      .resolvesOnce({
        Uploads: [
          { Key: 'e/c.raw', UploadId: 'orphan-2', Initiated: old },
          { Key: 'e/d.raw', UploadId: 'live', Initiated: new Date('2026-11-25T17:00:00Z') },
        ],
        IsTruncated: false,
      });
    s3.on(AbortMultipartUploadCommand).resolves({});
    // Act
    const aborted = await abortOrphanedUploads(new S3Client({}), 'vault', {
      prefix: 'e/',
      keep: new Set(['recorded']),
      initiatedBefore: new Date('2026-11-25T00:00:00Z'),
    });
    // Assess
    expect(aborted).toEqual(['orphan-1', 'orphan-2']);
    expect(s3).toHaveReceivedCommandWith(ListMultipartUploadsCommand, {
      KeyMarker: 'e/b.raw',
      UploadIdMarker: 'recorded',
    });
    expect(s3).toHaveReceivedCommandTimes(AbortMultipartUploadCommand, 2);
  });
});
