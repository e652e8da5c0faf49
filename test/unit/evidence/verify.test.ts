import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { compositeSha256, sha256b64 } from '../../../lambdas/core/evidence/checksums';
import type { Manifest } from '../../../lambdas/core/evidence/manifest';
import { verifyEvidence } from '../../../lambdas/core/evidence/verify';
import { blob } from './blob';

const s3 = mockClient(S3Client);
const MIB = 1024 * 1024;
const p1 = Buffer.alloc(8 * MIB, 1);
const p2 = Buffer.alloc(8 * MIB, 2);
const image = Buffer.concat([p1, p2]);
const parts = [sha256b64(p1), sha256b64(p2)];

function manifest(): Manifest {
  return {
    manifestVersion: 1,
    tool: 'sequester/test',
    quarantineId: 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11',
    incidentId: 'INC-7',
    reason: 'test',
    trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
    actor: 'arn:aws:iam::123456789012:role/on-call',
    instance: {},
    volumes: [
      {
        volumeId: 'vol-1',
        snapshotId: 'snap-1',
        sizeGiB: 1,
        deviceName: '/dev/xvda',
        images: [
          {
            key: 'disks/vol-1.raw',
            versionId: 'v1',
            volumeId: 'vol-1',
            snapshotId: 'snap-1',
            offset: 0,
            length: image.length,
            partSize: 8 * MIB,
            partCount: 2,
            writtenBlocks: 32,
            partSha256: parts,
            compositeSha256: compositeSha256(parts),
            exportStartedAt: '2026-11-25T17:00:00.000Z',
            completedAt: '2026-11-25T17:01:00.000Z',
            retention: { mode: 'COMPLIANCE', until: '2027-11-25T17:00:00.000Z' },
            legalHold: false,
          },
        ],
      },
    ],
    context: [],
    chainOfCustody: [],
    sealedAt: '2026-11-25T17:02:00.000Z',
    retention: { mode: 'COMPLIANCE', until: '2027-11-25T17:00:00.000Z' },
    legalHold: false,
  };
}

function serve(data: Buffer) {
  s3.on(GetObjectCommand, { Key: 'manifest.json' }).callsFake(() => ({
    Body: blob(Buffer.from(JSON.stringify(manifest()))),
  }));
  s3.on(GetObjectCommand, { Key: 'disks/vol-1.raw' }).callsFake((input: { Range?: string }) => {
    const [start, end] = (input.Range ?? 'bytes=0-').slice(6).split('-').map(Number);
    return { Body: blob(data.subarray(start, (end ?? data.length - 1) + 1)) };
  });
}

describe('Function: verifyEvidence', () => {
  beforeEach(() => {
    s3.on(HeadObjectCommand).resolves({
      ContentLength: image.length,
      ChecksumSHA256: compositeSha256(parts),
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2027-11-25T17:00:00Z'),
      ObjectLockLegalHoldStatus: 'OFF',
    });
  });
  afterEach(() => s3.reset());

  it('passes an intact image and reports its retention and legal hold', async () => {
    serve(image);
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json', { rangeBytes: 8 * MIB });
    expect(r.problems).toEqual([]);
    expect(r.objects[0]).toMatchObject({ ok: true, retention: { mode: 'COMPLIANCE' }, legalHold: 'OFF' });
  });

  it('fails naming the part when one byte of the image changed', async () => {
    const tampered = Buffer.from(image);
    tampered[8 * MIB + 5] = 0;
    serve(tampered);
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json', { rangeBytes: 16 * MIB });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.stringMatching(/disks\/vol-1\.raw .*: part 2 has SHA-256 .*, manifest says/),
    ]);
  });

  it('fails when S3 stores a composite checksum other than the manifest one', async () => {
    serve(image);
    s3.on(HeadObjectCommand).resolves({
      ContentLength: image.length,
      ChecksumSHA256: compositeSha256([parts[1] ?? '', parts[0] ?? '']),
    });
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json');
    expect(r.problems).toEqual([expect.stringMatching(/S3 composite SHA-256/)]);
  });

  it('fails with a clear message when the image is missing', async () => {
    serve(image);
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('not found'), { name: 'NotFound' }));
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json');
    expect(r.problems).toEqual([
      expect.stringMatching(/disks\/vol-1\.raw .*: missing from the vault \(NotFound\)/),
    ]);
  });

  // After the cold-storage transition GetObject answers 403 InvalidObjectState until the object is
  // restored (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html); HeadObject still works
  // and names the storage class.
  it('reports an archived image as archived, restore first, naming its storage class, instead of throwing', async () => {
    serve(image);
    s3.on(HeadObjectCommand).resolves({
      ContentLength: image.length,
      ChecksumSHA256: compositeSha256(parts),
      StorageClass: 'DEEP_ARCHIVE',
    });
    s3.on(GetObjectCommand, { Key: 'disks/vol-1.raw' }).rejects(
      Object.assign(new Error('The operation is not valid for the object storage class'), {
        name: 'InvalidObjectState',
        StorageClass: 'DEEP_ARCHIVE',
      }),
    );
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json');
    expect(r.ok).toBe(false);
    expect(r.archived).toEqual([{ key: 'disks/vol-1.raw', versionId: 'v1', storageClass: 'DEEP_ARCHIVE' }]);
    expect(r.problems).toEqual([
      expect.stringMatching(/disks\/vol-1\.raw .*: archived \(DEEP_ARCHIVE\), restore first/),
    ]);
  });

  it('verifies an archived image whose restored copy is available', async () => {
    serve(image);
    s3.on(HeadObjectCommand).resolves({
      ContentLength: image.length,
      ChecksumSHA256: compositeSha256(parts),
      StorageClass: 'GLACIER',
      Restore: 'ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"',
    });
    const r = await verifyEvidence(new S3Client({}), 'vault', 'manifest.json', { rangeBytes: 8 * MIB });
    expect(r.problems).toEqual([]);
    expect(r.archived).toEqual([]);
  });
});
