import type { Call } from '../wire';
import {
  anyResource,
  type Check,
  type ContextValue,
  type Facts,
  forService,
  type OperationAuth,
} from './types';

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html';
/** The S3 API reference page of an operation, whose "Permissions" section names what it needs. */
const api = (op: string) => `${SAR} ; https://docs.aws.amazon.com/AmazonS3/latest/API/API_${op}.html`;

export const bucketArn = (f: Pick<Facts, 'partition'>, bucket: string) => `arn:${f.partition}:s3:::${bucket}`;
export const objectArn = (f: Pick<Facts, 'partition'>, bucket: string, key: string) =>
  `arn:${f.partition}:s3:::${bucket}/${key}`;

const obj = (c: Call, f: Facts) => objectArn(f, c.bucket ?? '', c.key ?? '');

/** S3 condition keys a request carries in its headers (the vault policy reads the lock and SSE ones). */
function s3Context(c: Call): Record<string, ContextValue> {
  const h = c.headers;
  const keys: Record<string, string | undefined> = {
    's3:x-amz-server-side-encryption': h['x-amz-server-side-encryption'],
    's3:x-amz-server-side-encryption-aws-kms-key-id': h['x-amz-server-side-encryption-aws-kms-key-id'],
    's3:object-lock-mode': h['x-amz-object-lock-mode'],
    's3:object-lock-retain-until-date': h['x-amz-object-lock-retain-until-date'],
    's3:object-lock-legal-hold': h['x-amz-object-lock-legal-hold'],
    's3:versionid': c.query.get('versionId') ?? undefined,
  };
  return Object.fromEntries(Object.entries(keys).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The KMS permission S3 uses on the caller's behalf for an SSE-KMS object: the key named in the request,
 * or the bucket's default key. kms:ViaService is S3 in the bucket's region.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export async function viaS3(action: string, c: Call, f: Facts): Promise<Check[]> {
  const sse = c.headers['x-amz-server-side-encryption'];
  const named = sse === 'aws:kms' ? c.headers['x-amz-server-side-encryption-aws-kms-key-id'] : undefined;
  const key =
    named ?? (sse === undefined || sse === 'aws:kms' ? await f.bucketKey(c.bucket ?? '') : undefined);
  if (key === undefined) return [];
  return [kmsCheck(action, key, c.region, f)];
}

export const kmsCheck = (
  action: string,
  keyArn: string,
  region: string,
  f: Facts,
  service = 's3',
): Check => ({
  action,
  resource: keyArn,
  context: { 'kms:ViaService': `${service}.${region}.amazonaws.com`, 'kms:CallerAccount': f.account },
});

/** A read of an object: `s3:GetObjectVersion` instead of `s3:GetObject` when the request names a version. */
export const readAction = (c: Call) => (c.query.has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject');

/** A write (PutObject or CreateMultipartUpload): lock headers need their own permissions, SSE-KMS a data key. */
const lockedWrite: OperationAuth['checks'] = async (c, f) => {
  const ctx = s3Context(c);
  const lock =
    c.headers['x-amz-object-lock-mode'] !== undefined ||
    c.headers['x-amz-object-lock-retain-until-date'] !== undefined;
  return [
    { action: 's3:PutObject', resource: obj(c, f), context: ctx },
    ...(lock ? [{ action: 's3:PutObjectRetention', resource: obj(c, f), context: ctx }] : []),
    ...(c.headers['x-amz-object-lock-legal-hold'] !== undefined
      ? [{ action: 's3:PutObjectLegalHold', resource: obj(c, f), context: ctx }]
      : []),
    ...(await viaS3('kms:GenerateDataKey', c, f)),
  ];
};
const WRITE_CONDITIONAL = ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 'kms:GenerateDataKey'];

const onObject =
  (action: string): OperationAuth['checks'] =>
  async (c, f) => [{ action, resource: obj(c, f), context: s3Context(c) }];
const onBucket =
  (action: string, extra: (c: Call) => Record<string, ContextValue> = () => ({})): OperationAuth['checks'] =>
  async (c, f) => [{ action, resource: bucketArn(f, c.bucket ?? ''), context: extra(c) }];
const simple = (op: string, action: string, on: 'object' | 'bucket'): OperationAuth => ({
  actions: [action],
  doc: api(op),
  checks: on === 'object' ? onObject(action) : onBucket(action),
});

/** The source object of UploadPartCopy/CopyObject (`/bucket/key?versionId=`). */
function copySource(c: Call, f: Facts): { arn: string; versioned: boolean } {
  const raw = decodeURIComponent(c.headers['x-amz-copy-source'] ?? '').replace(/^\//, '');
  const [path = '', q = ''] = raw.split('?');
  return { arn: `arn:${f.partition}:s3:::${path}`, versioned: q.includes('versionId=') };
}

/**
 * S3 operations. Reads that come back with Object Lock headers and 404s of missing keys are further
 * shaped by the enforcer (s3-responses.ts) as S3 does for callers without the matching permissions.
 */
export const S3 = forService('s3', {
  PutObject: {
    actions: ['s3:PutObject'],
    conditional: WRITE_CONDITIONAL,
    doc: api('PutObject'),
    checks: lockedWrite,
  },
  CreateMultipartUpload: {
    actions: ['s3:PutObject'],
    conditional: WRITE_CONDITIONAL,
    doc: api('CreateMultipartUpload'),
    checks: lockedWrite,
  },
  UploadPart: {
    actions: ['s3:PutObject'],
    conditional: ['kms:Decrypt'],
    doc: api('UploadPart'),
    checks: async (c, f) => [
      ...(await onObject('s3:PutObject')(c, f)),
      ...(await viaS3('kms:Decrypt', c, f)),
    ],
  },
  UploadPartCopy: {
    actions: ['s3:PutObject', 's3:GetObject'],
    conditional: ['s3:GetObjectVersion', 'kms:Decrypt'],
    doc: api('UploadPartCopy'),
    checks: async (c, f) => {
      const src = copySource(c, f);
      return [
        ...(await onObject('s3:PutObject')(c, f)),
        { action: src.versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: src.arn },
        ...(await viaS3('kms:Decrypt', c, f)),
      ];
    },
  },
  CompleteMultipartUpload: {
    actions: ['s3:PutObject'],
    conditional: ['kms:Decrypt'],
    doc: api('CompleteMultipartUpload'),
    checks: async (c, f) => [
      ...(await onObject('s3:PutObject')(c, f)),
      ...(await viaS3('kms:Decrypt', c, f)),
    ],
  },
  AbortMultipartUpload: simple('AbortMultipartUpload', 's3:AbortMultipartUpload', 'object'),
  ListParts: simple('ListParts', 's3:ListMultipartUploadParts', 'object'),
  ListMultipartUploads: simple('ListMultipartUploads', 's3:ListBucketMultipartUploads', 'bucket'),
  GetObject: {
    actions: ['s3:GetObject'],
    conditional: [
      's3:GetObjectVersion',
      's3:GetObjectRetention',
      's3:GetObjectLegalHold',
      's3:ListBucket',
      'kms:Decrypt',
    ],
    doc: api('GetObject'),
    checks: async (c, f) => onObject(readAction(c))(c, f),
  },
  HeadObject: {
    actions: ['s3:GetObject'],
    conditional: ['s3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold', 's3:ListBucket'],
    doc: api('HeadObject'),
    checks: async (c, f) => onObject(readAction(c))(c, f),
  },
  GetObjectAttributes: {
    // With a version: "you must have both the s3:GetObjectVersion and s3:GetObjectVersionAttributes permissions".
    actions: ['s3:GetObjectAttributes'],
    conditional: ['s3:GetObjectVersion', 's3:GetObjectVersionAttributes'],
    doc: api('GetObjectAttributes'),
    checks: async (c, f) =>
      c.query.has('versionId')
        ? [
            { action: 's3:GetObjectVersion', resource: obj(c, f), context: s3Context(c) },
            { action: 's3:GetObjectVersionAttributes', resource: obj(c, f), context: s3Context(c) },
          ]
        : onObject('s3:GetObjectAttributes')(c, f),
  },
  GetObjectLockConfiguration: simple(
    'GetObjectLockConfiguration',
    's3:GetBucketObjectLockConfiguration',
    'bucket',
  ),
  HeadBucket: simple('HeadBucket', 's3:ListBucket', 'bucket'),
  ListObjectsV2: {
    actions: ['s3:ListBucket'],
    doc: api('ListObjectsV2'),
    checks: onBucket('s3:ListBucket', (c) => ({
      's3:prefix': c.query.get('prefix') ?? '',
      ...(c.query.has('delimiter') ? { 's3:delimiter': c.query.get('delimiter') ?? '' } : {}),
    })),
  },
  ListObjectVersions: {
    actions: ['s3:ListBucketVersions'],
    doc: api('ListObjectVersions'),
    checks: onBucket('s3:ListBucketVersions', (c) => ({ 's3:prefix': c.query.get('prefix') ?? '' })),
  },
  PutObjectLegalHold: simple('PutObjectLegalHold', 's3:PutObjectLegalHold', 'object'),
  GetObjectLegalHold: simple('GetObjectLegalHold', 's3:GetObjectLegalHold', 'object'),
  GetObjectRetention: simple('GetObjectRetention', 's3:GetObjectRetention', 'object'),
  PutObjectRetention: simple('PutObjectRetention', 's3:PutObjectRetention', 'object'),
  RestoreObject: simple('RestoreObject', 's3:RestoreObject', 'object'),
  DeleteObject: {
    actions: ['s3:DeleteObject'],
    conditional: ['s3:DeleteObjectVersion'],
    doc: api('DeleteObject'),
    checks: async (c, f) =>
      onObject(c.query.has('versionId') ? 's3:DeleteObjectVersion' : 's3:DeleteObject')(c, f),
  },
  GetBucketPolicy: simple('GetBucketPolicy', 's3:GetBucketPolicy', 'bucket'),
  PutBucketPolicy: simple('PutBucketPolicy', 's3:PutBucketPolicy', 'bucket'),
  GetBucketEncryption: simple('GetBucketEncryption', 's3:GetEncryptionConfiguration', 'bucket'),
  // The blast-radius collectors (lambdas/core/investigation/reach/).
  GetBucketTagging: simple('GetBucketTagging', 's3:GetBucketTagging', 'bucket'),
  // The demo and the tests tag the stores reach classifies (as the administrator).
  PutBucketTagging: simple('PutBucketTagging', 's3:PutBucketTagging', 'bucket'),
  GetBucketLocation: simple('GetBucketLocation', 's3:GetBucketLocation', 'bucket'),
  GetPublicAccessBlock: simple('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock', 'bucket'),
  ListBuckets: {
    actions: ['s3:ListAllMyBuckets'],
    doc: api('ListBuckets'),
    checks: anyResource('s3:ListAllMyBuckets'),
  },
  PutBucketEncryption: simple('PutBucketEncryption', 's3:PutEncryptionConfiguration', 'bucket'),
  CreateBucket: simple('CreateBucket', 's3:CreateBucket', 'bucket'),
});
