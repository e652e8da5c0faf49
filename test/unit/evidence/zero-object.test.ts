import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_EVIDENCE_CONFIG, MIB, ZERO_OBJECT_PREFIX } from '../../../lambdas/core/evidence/config';
import { readEvidenceConfig } from '../../../lambdas/core/evidence/env-config';
import { ensureZeroObject } from '../../../lambdas/core/evidence/vault';

const s3 = mockClient(S3Client);
const BASE = 8 * MIB;
const notFound = () => Object.assign(new Error('Not Found'), { name: 'NotFound' });
const run = (size = BASE) => ensureZeroObject(new S3Client({}), 'vault', size);

afterEach(() => s3.reset());

describe('Function: ensureZeroObject', () => {
  it('writes the zero object outside the evidence prefix the cold-storage rule covers', async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const key = await run();
    expect(key).toBe(`${ZERO_OBJECT_PREFIX}${BASE}.bin`);
    expect(key.startsWith(DEFAULT_EVIDENCE_CONFIG.prefix)).toBe(false);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: key });
  });

  it('reuses a zero object in an active storage class', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: BASE, StorageClass: 'STANDARD' });
    expect(await run()).toBe(`${ZERO_OBJECT_PREFIX}${BASE}.bin`);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  // UploadPartCopy from an archived source fails with ObjectNotInActiveTierError, and a locked version
  // cannot be replaced: HeadObject reports the class (x-amz-storage-class) or, for Intelligent-Tiering's
  // archive tiers, x-amz-archive-status (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
  it.each([
    ['GLACIER', { StorageClass: 'GLACIER' as const }],
    ['DEEP_ARCHIVE', { StorageClass: 'DEEP_ARCHIVE' as const }],
    [
      'INTELLIGENT_TIERING in its deep archive tier',
      { StorageClass: 'INTELLIGENT_TIERING' as const, ArchiveStatus: 'DEEP_ARCHIVE_ACCESS' as const },
    ],
    [
      'INTELLIGENT_TIERING in its archive tier',
      { StorageClass: 'INTELLIGENT_TIERING' as const, ArchiveStatus: 'ARCHIVE_ACCESS' as const },
    ],
  ])('treats a zero object in %s as absent and writes a fresh one under a new key', async (_, archived) => {
    const first = `${ZERO_OBJECT_PREFIX}${BASE}.bin`;
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(HeadObjectCommand, { Key: first }).resolves({ ContentLength: BASE, ...archived });
    s3.on(PutObjectCommand).resolves({});
    const key = await run();
    expect(key).not.toBe(first);
    expect(key.startsWith(ZERO_OBJECT_PREFIX)).toBe(true);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: key });
  });

  it('assembles a larger zero object by copying from an active base, never an archived one', async () => {
    const archivedBase = `${ZERO_OBJECT_PREFIX}${BASE}.bin`;
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(HeadObjectCommand, { Key: archivedBase }).resolves({
      ContentLength: BASE,
      StorageClass: 'DEEP_ARCHIVE',
    });
    s3.on(PutObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u' });
    s3.on(UploadPartCopyCommand).resolves({ CopyPartResult: { ETag: '"e"' } });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const key = await run(2 * BASE);
    expect(key).toBe(`${ZERO_OBJECT_PREFIX}${2 * BASE}.bin`);
    const fresh = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key;
    expect(fresh).not.toBe(archivedBase);
    for (const c of s3.commandCalls(UploadPartCopyCommand))
      expect(c.args[0].input.CopySource).toBe(`vault/${fresh}`);
  });
});

describe('Function: readEvidenceConfig', () => {
  const env = { AWS_REGION: 'eu-west-1', VAULT_BUCKET: 'vault' };
  it.each([[''], ['sequester-']])(
    'refuses an evidence prefix (%j) that would put the zero objects under the cold-storage rule',
    (prefix) => {
      expect(() => readEvidenceConfig({ ...env, EVIDENCE_PREFIX: prefix })).toThrow(/EVIDENCE_PREFIX/);
    },
  );

  it('accepts the default evidence prefix', () => {
    expect(readEvidenceConfig(env).prefix).toBe(DEFAULT_EVIDENCE_CONFIG.prefix);
  });
});
