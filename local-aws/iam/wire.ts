/**
 * One AWS request as the enforcing layer sees it on the wire: who signed it (the access key of the SigV4
 * credential scope), which service and operation it calls, and its parameters, read the way each wire
 * protocol carries them. Test and demo harness code only.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4-signed-request-examples.html
 */
export interface WireRequest {
  readonly method: string;
  /** Path without the query string, percent-decoded per segment by the reader (S3 keys). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface Caller {
  readonly accessKeyId: string;
  readonly region: string;
  /** The signing name of the credential scope (`ec2`, `s3`, `ebs`, `dynamodb`, `states`...). */
  readonly service: string;
}

/** One API call: the operation and its parameters in the protocol's own shape. */
export interface Call {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /** Query protocol (EC2, IAM, STS, Auto Scaling, ELBv2, SNS): the form parameters. Empty otherwise. */
  readonly form: URLSearchParams;
  /** JSON protocols (DynamoDB, Step Functions, CloudTrail, KMS, EventBridge; EBS bodies). `{}` otherwise. */
  readonly json: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** S3 (path-style addressing, as the local clients use): `/bucket/key`. */
  readonly bucket?: string;
  readonly key?: string;
  /** EBS direct APIs: the snapshot in the path. */
  readonly snapshotId?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** The signer of a request: the Authorization header, or X-Amz-Credential of a presigned URL. */
export function callerOf(req: WireRequest): Caller | undefined {
  const auth = req.headers.authorization ?? '';
  const presigned = req.query.get('X-Amz-Credential');
  const m = CREDENTIAL.exec(auth) ?? (presigned === null ? null : CREDENTIAL.exec(`Credential=${presigned}`));
  if (m === null) return undefined;
  const [, accessKeyId = '', region = '', service = ''] = m;
  return { accessKeyId, region, service };
}

/** Names the operation of a request signed for `caller.service`; undefined when it cannot be read. */
export function callOf(req: WireRequest, caller: Caller): Call {
  const base = {
    service: caller.service,
    region: caller.region,
    headers: req.headers,
    query: req.query,
    form: new URLSearchParams(),
    json: {},
  };
  const target = req.headers['x-amz-target'];
  if (target !== undefined)
    return { ...base, operation: target.slice(target.lastIndexOf('.') + 1), json: parseJson(req.body) };
  if (caller.service === 's3') return { ...base, ...s3Operation(req) };
  if (caller.service === 'ebs') return { ...base, ...ebsOperation(req) };
  const rest = REST_JSON[caller.service];
  if (rest !== undefined)
    return { ...base, operation: restJsonOperation(rest, req), json: parseJson(req.body) };
  const form = new URLSearchParams(req.body.toString('utf8'));
  for (const [k, v] of req.query) if (!form.has(k)) form.set(k, v);
  return { ...base, operation: form.get('Action') ?? `${req.method} ${req.path}`, form };
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * S3's REST operations (path-style): the method, whether a key is present, and the subresource in the
 * query. The SDK also names most object operations with `x-id`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
function s3Operation(req: WireRequest): { operation: string; bucket?: string; key?: string } {
  const [, bucketPart = '', ...rest] = req.path.split('/');
  const bucket = decodeURIComponent(bucketPart);
  const key = rest.length === 0 ? undefined : rest.map(decodeURIComponent).join('/');
  const q = req.query;
  const h = req.headers;
  const at = { ...(bucket === '' ? {} : { bucket }), ...(key === undefined || key === '' ? {} : { key }) };
  const xid = q.get('x-id');
  if (xid !== null) return { operation: xid, ...at };
  const m = req.method;
  if (at.key === undefined) {
    if (at.bucket === undefined) return { operation: m === 'GET' ? 'ListBuckets' : `${m} /`, ...at };
    const sub = [
      'object-lock',
      'policy',
      'encryption',
      'versioning',
      'uploads',
      'versions',
      'lifecycle',
      'tagging',
      'publicAccessBlock',
      'location',
    ].find((s) => q.has(s));
    const bucketOps: Record<string, string> = {
      'GET object-lock': 'GetObjectLockConfiguration',
      'PUT object-lock': 'PutObjectLockConfiguration',
      'GET policy': 'GetBucketPolicy',
      'PUT policy': 'PutBucketPolicy',
      'DELETE policy': 'DeleteBucketPolicy',
      'GET encryption': 'GetBucketEncryption',
      'PUT encryption': 'PutBucketEncryption',
      'GET versioning': 'GetBucketVersioning',
      'PUT versioning': 'PutBucketVersioning',
      'GET uploads': 'ListMultipartUploads',
      'GET versions': 'ListObjectVersions',
      'GET lifecycle': 'GetBucketLifecycleConfiguration',
      'PUT lifecycle': 'PutBucketLifecycleConfiguration',
      'GET tagging': 'GetBucketTagging',
      'PUT tagging': 'PutBucketTagging',
      'GET publicAccessBlock': 'GetPublicAccessBlock',
      'GET location': 'GetBucketLocation',
      HEAD: 'HeadBucket',
      PUT: 'CreateBucket',
      DELETE: 'DeleteBucket',
      GET: q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects',
    };
    return { operation: bucketOps[sub === undefined ? m : `${m} ${sub}`] ?? `${m} /bucket?${sub}`, ...at };
  }
  if (q.has('uploadId')) {
    const copy = h['x-amz-copy-source'] !== undefined;
    const byMethod: Record<string, string> = {
      PUT: copy ? 'UploadPartCopy' : 'UploadPart',
      POST: 'CompleteMultipartUpload',
      DELETE: 'AbortMultipartUpload',
      GET: 'ListParts',
    };
    return { operation: byMethod[m] ?? `${m} /key?uploadId`, ...at };
  }
  const sub = ['uploads', 'attributes', 'legal-hold', 'retention', 'restore', 'tagging'].find((s) =>
    q.has(s),
  );
  const objectOps: Record<string, string> = {
    'POST uploads': 'CreateMultipartUpload',
    'GET attributes': 'GetObjectAttributes',
    'GET legal-hold': 'GetObjectLegalHold',
    'PUT legal-hold': 'PutObjectLegalHold',
    'GET retention': 'GetObjectRetention',
    'PUT retention': 'PutObjectRetention',
    'POST restore': 'RestoreObject',
    'GET tagging': 'GetObjectTagging',
    'PUT tagging': 'PutObjectTagging',
    GET: 'GetObject',
    HEAD: 'HeadObject',
    PUT: h['x-amz-copy-source'] === undefined ? 'PutObject' : 'CopyObject',
    DELETE: 'DeleteObject',
  };
  return { operation: objectOps[sub === undefined ? m : `${m} ${sub}`] ?? `${m} /key?${sub}`, ...at };
}

/**
 * The EBS direct APIs (REST-JSON): the operation is the path shape.
 * https://docs.aws.amazon.com/ebs/latest/APIReference/API_Operations.html
 */
function ebsOperation(req: WireRequest): {
  operation: string;
  snapshotId?: string;
  json: Record<string, unknown>;
} {
  const p = req.path.split('/').filter(Boolean);
  const json = parseJson(req.body);
  const id = (s: string | undefined) => (s === undefined ? {} : { snapshotId: s });
  if (req.method === 'POST' && p.length === 1) return { operation: 'StartSnapshot', json };
  if (req.method === 'POST' && p[1] === 'completion')
    return { operation: 'CompleteSnapshot', ...id(p[2]), json };
  if (p[2] === 'changedblocks') return { operation: 'ListChangedBlocks', ...id(p[1]), json };
  if (p[2] === 'blocks' && p.length === 3) return { operation: 'ListSnapshotBlocks', ...id(p[1]), json };
  if (p[2] === 'blocks' && req.method === 'PUT') return { operation: 'PutSnapshotBlock', ...id(p[1]), json };
  if (p[2] === 'blocks') return { operation: 'GetSnapshotBlock', ...id(p[1]), json };
  return { operation: `${req.method} ${req.path}`, json };
}

/** REST-JSON services (no X-Amz-Target): `METHOD path-shape` -> operation, ids in the path as `{}`. */
const REST_JSON: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html
  inspector2: { 'POST /findings/list': 'ListFindings' },
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Operations.html
  guardduty: {
    'GET /detector': 'ListDetectors',
    'POST /detector/{}/findings': 'ListFindings',
    'POST /detector/{}/findings/get': 'GetFindings',
  },
};

function restJsonOperation(ops: Readonly<Record<string, string>>, req: WireRequest): string {
  const shape = req.path.replace(/^(\/detector)\/[^/]+/, '$1/{}').replace(/\/$/, '');
  return ops[`${req.method} ${shape}`] ?? `${req.method} ${req.path}`;
}
