import { accountOf, type CloudTrailRecord, str } from './record';

type Req = Record<string, unknown> | null | undefined;
/** Builds the resource ARN(s) of one call from its request parameters when `resources` lacks them. */
type ResourceOf = (req: Req, region: string, account: string) => string[];

const s3Object: ResourceOf = (q) => {
  const bucket = str(q, 'bucketName');
  const key = str(q, 'key');
  return bucket === undefined ? [] : [`arn:aws:s3:::${bucket}${key === undefined ? '' : `/${key}`}`];
};
const secret: ResourceOf = (q, region, account) => {
  const id = str(q, 'secretId');
  if (id === undefined) return [];
  return [id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${account}:secret:${id}`];
};
const ssmParameter = (name: string, region: string, account: string) =>
  name.startsWith('arn:') ? name : `arn:aws:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;
const parameters: ResourceOf = (q, region, account) => {
  const names = Array.isArray(q?.names) ? q.names.filter((n): n is string => typeof n === 'string') : [];
  const one = str(q, 'name') ?? str(q, 'path');
  return [...names, ...(one === undefined ? [] : [one])].map((n) => ssmParameter(n, region, account));
};
const kmsKey: ResourceOf = (q, region, account) => {
  const id = str(q, 'keyId');
  if (id === undefined) return [];
  return [
    id.startsWith('arn:')
      ? id
      : `arn:aws:kms:${region}:${account}:${id.startsWith('alias/') ? id : `key/${id}`}`,
  ];
};
const table: ResourceOf = (q, region, account) => {
  const arn = str(q, 'tableArn');
  if (arn !== undefined) return [arn];
  const name = str(q, 'tableName');
  if (name !== undefined) return [`arn:aws:dynamodb:${region}:${account}:table/${name}`];
  const items = q?.requestItems;
  return items !== null && typeof items === 'object'
    ? Object.keys(items).map((t) => `arn:aws:dynamodb:${region}:${account}:table/${t}`)
    : [];
};
const snapshot: ResourceOf = (q, region) => {
  const id = str(q, 'snapshotId') ?? str(q, 'dBSnapshotIdentifier') ?? str(q, 'dBClusterSnapshotIdentifier');
  return id === undefined ? [] : [id.startsWith('arn:') ? id : `arn:aws:ec2:${region}::snapshot/${id}`];
};
const image: ResourceOf = (q, region) => {
  const id = str(q, 'imageId');
  return id === undefined ? [] : [`arn:aws:ec2:${region}::image/${id}`];
};

/**
 * Reads and writes of data stores, by event source and name: the calls that move data out of (or into)
 * S3 objects, secrets, parameters, KMS keys, DynamoDB tables, and the calls that share a snapshot or an
 * AMI with another account. S3 object calls are data events: a trail records them only when data events
 * are on, which is why coverage reports them.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
const RULES: Readonly<Record<string, Readonly<Record<string, ResourceOf>>>> = {
  's3.amazonaws.com': Object.fromEntries(
    [
      'GetObject',
      'PutObject',
      'CopyObject',
      'UploadPart',
      'CompleteMultipartUpload',
      'SelectObjectContent',
      'RestoreObject',
      'DeleteObject',
      'DeleteObjects',
      'PutObjectAcl',
    ].map((n) => [n, s3Object]),
  ),
  'secretsmanager.amazonaws.com': {
    GetSecretValue: secret,
    BatchGetSecretValue: secret,
    PutSecretValue: secret,
  },
  'ssm.amazonaws.com': {
    GetParameter: parameters,
    GetParameters: parameters,
    GetParametersByPath: parameters,
  },
  'kms.amazonaws.com': Object.fromEntries(
    [
      'Decrypt',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext',
    ].map((n) => [n, kmsKey]),
  ),
  'dynamodb.amazonaws.com': Object.fromEntries(
    [
      'GetItem',
      'BatchGetItem',
      'Query',
      'Scan',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
      'TransactGetItems',
      'TransactWriteItems',
      'ExportTableToPointInTime',
    ].map((n) => [n, table]),
  ),
  'ec2.amazonaws.com': { ModifySnapshotAttribute: snapshot, ModifyImageAttribute: image },
  'rds.amazonaws.com': { ModifyDBSnapshotAttribute: snapshot, ModifyDBClusterSnapshotAttribute: snapshot },
};

/** One (eventSource, eventName, resource) a successful call touched, with its bytes out where known. */
export interface Touch {
  readonly eventSource: string;
  readonly eventName: string;
  readonly resource: string;
  readonly bytesTransferredOut: number | undefined;
}

/**
 * What data one record touched; empty for calls that are not data-store reads or writes, and for failed
 * ones (an `errorCode` means the call did not happen). The resource is the record's own `resources` ARNs
 * when present, else built from the request parameters, else "unknown". `bytesTransferredOut` is the
 * S3 data event's `additionalEventData.bytesTransferredOut`, split evenly over several resources.
 */
export function touchesOf(r: CloudTrailRecord): Touch[] {
  if (r.errorCode !== undefined) return [];
  const rule = RULES[r.eventSource]?.[r.eventName];
  if (rule === undefined) return [];
  const fromResources = (r.resources ?? [])
    .map((x) => x.ARN)
    .filter((a): a is string => a !== undefined && a !== '' && !isBucketOnly(r.eventSource, a));
  const built = rule(r.requestParameters, r.awsRegion ?? '', accountOf(r));
  const resources = [...new Set(fromResources.length > 0 ? fromResources : built)];
  const bytes = r.additionalEventData?.bytesTransferredOut;
  const total = typeof bytes === 'number' && Number.isFinite(bytes) ? bytes : undefined;
  const list = resources.length > 0 ? resources : ['unknown'];
  return list.map((resource) => ({
    eventSource: r.eventSource,
    eventName: r.eventName,
    resource,
    bytesTransferredOut: total === undefined ? undefined : total / list.length,
  }));
}

/** S3 data events list the bucket next to the object; the object is the resource that was read. */
function isBucketOnly(source: string, arn: string): boolean {
  return source === 's3.amazonaws.com' && /^arn:[^:]+:s3:::[^/]+$/.test(arn);
}
