import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EBSClient, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import {
  CompleteMultipartUploadCommand,
  GetObjectAttributesCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { compositeSha256, zeroSha256b64 } from '../../../lambdas/core/evidence/checksums';
import { COMPLETE_CONCURRENCY, completeExport } from '../../../lambdas/core/evidence/complete-export';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../lambdas/core/evidence/config';

const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evidence/record.json'), 'utf8'));
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ebs = mockClient(EBSClient);
const ledger = { ddb: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 't' };
const cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: 'vault', retentionDays: 1 };
const id = record.quarantineId as string;
const A = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
const Z = zeroSha256b64(8 * 1024 * 1024);
const parts = [
  { PartNumber: 1, ETag: '"a"', Size: 8388608, ChecksumSHA256: A },
  { PartNumber: 2, ETag: '"z"', Size: 8388608, ChecksumSHA256: Z },
];

describe('Function: completeExport', () => {
  beforeEach(() => {
    ddb.on(GetCommand).resolves({ Item: structuredClone(record) });
    ddb.on(UpdateCommand).resolves({});
    ebs.on(ListSnapshotBlocksCommand).resolves({ Blocks: [{ BlockIndex: 3, BlockToken: 't' }] });
    s3.on(ListPartsCommand).resolves({ Parts: parts, IsTruncated: false });
    s3.on(CompleteMultipartUploadCommand).resolves({
      VersionId: 'v1',
      ChecksumSHA256: compositeSha256([A, Z]),
      $metadata: {},
    });
    s3.on(HeadObjectCommand).resolves({
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2027-01-01T00:00:00Z'),
    });
    s3.on(PutObjectCommand).resolves({ VersionId: 'r1', $metadata: {} });
  });
  afterEach(() => {
    ddb.reset();
    s3.reset();
    ebs.reset();
  });
  const run = () => completeExport({ s3: new S3Client({}), ebs: new EBSClient({}) }, ledger, id, cfg);

  it('completes the upload from ListParts with every part SHA-256 and records the composite', async () => {
    const [image] = await run();
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: parts.map(({ PartNumber, ETag, ChecksumSHA256 }) => ({ PartNumber, ETag, ChecksumSHA256 })),
      },
    });
    expect(image).toMatchObject({
      versionId: 'v1',
      partSha256: [A, Z],
      compositeSha256: compositeSha256([A, Z]),
      writtenBlocks: 1,
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `${image?.key}.parts.json`,
      ObjectLockMode: 'COMPLIANCE',
    });
  });

  // moto 5.2.1's ListParts omits part checksums; AWS lists ChecksumSHA256 for uploads created with it
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html).
  // ListSnapshotBlocks "can return less blocks than MaxResults or an empty array of blocks"; only a
  // missing NextToken ends the list (https://docs.aws.amazon.com/ebs/latest/APIReference/API_ListSnapshotBlocks.html).
  it('counts written blocks past an empty ListSnapshotBlocks page that carries a NextToken', async () => {
    ebs
      .on(ListSnapshotBlocksCommand)
      .resolvesOnce({ Blocks: [], NextToken: 'more' })
      .resolvesOnce({
        Blocks: [
          { BlockIndex: 3, BlockToken: 't' },
          { BlockIndex: 9, BlockToken: 'u' },
        ],
      });
    const [image] = await run();
    expect(image?.writtenBlocks).toBe(2);
    expect(ebs).toHaveReceivedCommandWith(ListSnapshotBlocksCommand, { NextToken: 'more' });
  });

  it('refuses to complete when S3 lists a part without its SHA-256', async () => {
    s3.on(ListPartsCommand).resolves({ Parts: [parts[0] ?? {}, { ...parts[1], ChecksumSHA256: undefined }] });
    await expect(run()).rejects.toThrow(/part 2 of .* has no SHA-256 in S3/);
    expect(s3).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
  });

  it('names the missing part so only its segment is re-run', async () => {
    s3.on(ListPartsCommand).resolves({ Parts: [parts[0] ?? {}] });
    await expect(run()).rejects.toThrow(/part 2 of .* is missing: re-run its segment/);
  });

  it('reads every page of ListParts', async () => {
    s3.on(ListPartsCommand)
      .resolvesOnce({ Parts: [parts[0] ?? {}], IsTruncated: true, NextPartNumberMarker: '1' })
      .resolvesOnce({ Parts: [parts[1] ?? {}], IsTruncated: false });
    await run();
    expect(s3).toHaveReceivedCommandWith(ListPartsCommand, { PartNumberMarker: '1' });
  });

  // moto 5.2.1 drops the Object Lock settings given at CreateMultipartUpload; on AWS the completed object
  // carries them (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html).
  it('fails when the completed image is not under COMPLIANCE retention', async () => {
    s3.on(HeadObjectCommand).resolves({});
    await expect(run()).rejects.toThrow(/is not under COMPLIANCE retention/);
  });

  it('fails when the composite SHA-256 S3 reports differs from the parts', async () => {
    s3.on(CompleteMultipartUploadCommand).resolves({
      VersionId: 'v1',
      ChecksumSHA256: compositeSha256([Z, A]),
    });
    await expect(run()).rejects.toThrow(/S3 composite SHA-256/);
  });

  // GetObjectAttributes fails to deserialize on moto 5.2.1; AWS returns ObjectParts with each part's
  // checksum (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html).
  it('recovers an image completed by a run whose ledger write was lost', async () => {
    s3.on(ListPartsCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchUpload' }));
    s3.on(HeadObjectCommand).resolves({
      VersionId: 'v9',
      Metadata: { 'quarantine-id': id, 'snapshot-id': 'snap-0a1b2c3d4e5f60718' },
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2027-01-01T00:00:00Z'),
    });
    s3.on(GetObjectAttributesCommand).resolves({ ObjectParts: { Parts: parts, IsTruncated: false } });
    const [image] = await run();
    expect(image).toMatchObject({ versionId: 'v9', partSha256: [A, Z] });
    expect(s3).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
  });

  it('fails when the upload is gone and the vault holds no image of this quarantine', async () => {
    s3.on(ListPartsCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchUpload' }));
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v9', Metadata: {} });
    await expect(run()).rejects.toThrow(/upload of .* is gone/);
  });

  it('completes the pieces of a split image a few at a time, with one ledger write at a time', async () => {
    // Arrange: eight pieces; block listings and ledger writes take a moment, and both are counted in flight.
    const base = record.evidence.exports[0];
    const pieces = Array.from({ length: 8 }, (_, i) => ({
      ...base,
      key: `${base.key}.00${i + 1}`,
      uploadId: `u${i}`,
    }));
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...structuredClone(record), evidence: { ...record.evidence, exports: pieces } } });
    const inFlight = { blocks: 0, maxBlocks: 0, writes: 0, maxWrites: 0 };
    const slow = (k: 'blocks' | 'writes', out: object) => async () => {
      inFlight[k] += 1;
      const max = k === 'blocks' ? 'maxBlocks' : 'maxWrites';
      inFlight[max] = Math.max(inFlight[max], inFlight[k]);
      await new Promise((r) => setTimeout(r, 20));
      inFlight[k] -= 1;
      return out;
    };
    ebs.on(ListSnapshotBlocksCommand).callsFake(slow('blocks', { Blocks: [] }));
    ddb.on(UpdateCommand).callsFake(slow('writes', {}));

    // Act
    const images = await run();

    // Assert
    expect(images.map((i) => i.key)).toEqual(pieces.map((p) => p.key));
    expect(inFlight.maxBlocks).toBe(COMPLETE_CONCURRENCY);
    expect(inFlight.maxWrites).toBe(1);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 8);
  });

  it('records an image once when a racing run recorded it between the first read and the write', async () => {
    // Arrange: the first read sees no image; by the time of the ledger write another run has recorded it.
    const key = record.evidence.exports[0].key as string;
    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: structuredClone(record) })
      .resolves({
        Item: {
          ...structuredClone(record),
          evidence: {
            ...record.evidence,
            images: [{ key, versionId: 'v1', recordKey: `${key}.parts.json` }],
          },
        },
      });
    // Act
    const images = await run();
    // Assert
    expect(images.map((i) => i.key)).toEqual([key]);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });
});
