import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { assertNotArchived } from '../../../cli/evidence/archived';
import { locateEvidence } from '../../../cli/evidence/locate';
import { restoreArchive } from '../../../cli/evidence/restore-archive';
import type { Manifest } from '../../../lambdas/core/evidence/manifest';
import { reviewerPolicy } from '../../../policies/human-roles';

const s3 = mockClient(S3Client);
const v = { bucket: 'vault', prefix: 'evidence/' };
const Q = 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11';
const base = `evidence/INC-7/${Q}/`;
const archivedError = (storageClass: string) =>
  Object.assign(new Error('The operation is not valid for the object storage class'), {
    name: 'InvalidObjectState',
    StorageClass: storageClass,
    $metadata: { httpStatusCode: 403 },
  });

const image = (key: string) => ({ key, versionId: 'v1' });
const located = {
  key: `${base}manifest.json`,
  manifest: {
    incidentId: 'INC-7',
    quarantineId: Q,
    volumes: [{ images: [image(`${base}disks/vol-1.raw`), image(`${base}disks/vol-2.raw`)] }],
  } as unknown as Manifest,
};

afterEach(() => s3.reset());

// GetObject of an object in GLACIER or DEEP_ARCHIVE answers 403 InvalidObjectState until it is restored
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
describe('Function: assertNotArchived (download, restore)', () => {
  it('names every archived image and its storage class, and says to restore first', async () => {
    s3.on(HeadObjectCommand).resolves({ StorageClass: 'DEEP_ARCHIVE' });
    s3.on(HeadObjectCommand, { Key: `${base}disks/vol-2.raw` }).resolves({});
    await expect(assertNotArchived(new S3Client({}), 'vault', located)).rejects.toThrow(
      new RegExp(
        `archived, restore first: ${base}disks/vol-1\\.raw .*DEEP_ARCHIVE.*restore-archive INC-7/${Q}`,
      ),
    );
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Key: `${base}disks/vol-1.raw`,
      VersionId: 'v1',
    });
  });

  it('lets restored and active images through', async () => {
    s3.on(HeadObjectCommand).resolves({
      StorageClass: 'DEEP_ARCHIVE',
      Restore: 'ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"',
    });
    await expect(assertNotArchived(new S3Client({}), 'vault', located)).resolves.toBeUndefined();
  });
});

describe('Function: locateEvidence', () => {
  it('reports an archived manifest as archived, restore first, instead of throwing InvalidObjectState', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${base}manifest.json` }] });
    s3.on(GetObjectCommand).rejects(archivedError('DEEP_ARCHIVE'));
    await expect(locateEvidence(new S3Client({}), v, `INC-7/${Q}`)).rejects.toThrow(
      /archived, restore first: .*manifest\.json .*DEEP_ARCHIVE/,
    );
  });
});

// RestoreObject answers 202 when it starts a restore, 200 when a restored copy already exists, and
// 409 RestoreAlreadyInProgress while one runs (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html).
describe('Function: restoreArchive', () => {
  const listing = {
    Contents: [
      { Key: `${base}disks/vol-1.raw`, StorageClass: 'DEEP_ARCHIVE' as const },
      { Key: `${base}disks/vol-2.raw`, StorageClass: 'DEEP_ARCHIVE' as const },
      { Key: `${base}manifest.json`, StorageClass: 'GLACIER' as const },
      { Key: `${base}context/request.json`, StorageClass: 'STANDARD' as const },
    ],
  };

  it('starts a restore of every archived object and reports started, in progress and already restored', async () => {
    s3.on(ListObjectsV2Command).resolves(listing);
    s3.on(RestoreObjectCommand, { Key: `${base}disks/vol-1.raw` }).resolves({
      $metadata: { httpStatusCode: 202 },
    });
    s3.on(RestoreObjectCommand, { Key: `${base}disks/vol-2.raw` }).rejects(
      Object.assign(new Error('Object restore is already in progress'), {
        name: 'RestoreAlreadyInProgress',
        $metadata: { httpStatusCode: 409 },
      }),
    );
    s3.on(RestoreObjectCommand, { Key: `${base}manifest.json` }).resolves({
      $metadata: { httpStatusCode: 200 },
    });
    const r = await restoreArchive(new S3Client({}), v, `INC-7/${Q}`, { days: 7, tier: 'Bulk' });
    expect(r).toEqual({
      quarantineId: Q,
      started: [`${base}disks/vol-1.raw`],
      inProgress: [`${base}disks/vol-2.raw`],
      alreadyRestored: [`${base}manifest.json`],
      notArchived: 1,
    });
    expect(s3).toHaveReceivedCommandTimes(RestoreObjectCommand, 3);
    expect(s3).toHaveReceivedCommandWith(RestoreObjectCommand, {
      Bucket: 'vault',
      Key: `${base}disks/vol-1.raw`,
      RestoreRequest: { Days: 7, GlacierJobParameters: { Tier: 'Bulk' } },
    });
  });

  it('finds the quarantine under its incident when given the quarantine id alone', async () => {
    s3.on(ListObjectsV2Command, { Delimiter: '/' }).resolves({
      CommonPrefixes: [{ Prefix: 'evidence/INC-6/' }, { Prefix: 'evidence/INC-7/' }],
    });
    s3.on(ListObjectsV2Command, { Prefix: `evidence/INC-6/${Q}/` }).resolves({});
    s3.on(ListObjectsV2Command, { Prefix: base }).resolves(listing);
    s3.on(RestoreObjectCommand).resolves({ $metadata: { httpStatusCode: 202 } });
    const r = await restoreArchive(new S3Client({}), v, Q, { days: 7, tier: 'Standard' });
    expect(r.started).toHaveLength(3);
  });

  it('refuses an unknown quarantine', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    await expect(
      restoreArchive(new S3Client({}), v, `INC-7/${Q}`, { days: 7, tier: 'Bulk' }),
    ).rejects.toThrow(/no evidence of INC-7\/q-/);
  });
});

describe('Policy: reviewer', () => {
  it('may start restores of evidence objects, and nothing else is added', () => {
    const p = reviewerPolicy({
      vaultBucketArn: 'arn:aws:s3:::vault',
      vaultKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      ledgerTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t',
    });
    expect(p.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:RestoreObject',
        Resource: 'arn:aws:s3:::vault/evidence/*',
      }),
    );
  });
});
