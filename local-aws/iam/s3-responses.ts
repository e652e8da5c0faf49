import type { Check, Facts } from './operations';
import { bucketArn, kmsCheck, objectArn } from './operations/s3';
import type { Call } from './wire';

/** A response on its way back to the caller: its status and headers may be reshaped. */
export interface Passing {
  status: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

export type Can = (check: Check) => Promise<boolean>;

/** What S3 answers differently by the caller's permissions on a read. */
export type ReadOutcome = { readonly deny: Check } | { readonly pass: true };

/**
 * S3 reads (HeadObject, GetObject) shaped by the caller's permissions, as S3 does:
 * - a missing key is 404 only with s3:ListBucket on the bucket, otherwise 403 ("If you don't have the
 *   s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Forbidden error"). S3 does not
 *   document an s3:prefix value for this check, so none is sent.
 * - `x-amz-object-lock-mode` and `-retain-until-date` come back "only if the requester has the
 *   s3:GetObjectRetention permission", `x-amz-object-lock-legal-hold` only with s3:GetObjectLegalHold;
 * - reading an SSE-KMS object's content needs kms:Decrypt on its key.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export async function shapeS3Read(call: Call, res: Passing, can: Can, f: Facts): Promise<ReadOutcome> {
  const partition = f.partition;
  if (call.operation !== 'HeadObject' && call.operation !== 'GetObject') return { pass: true };
  const bucket = call.bucket ?? '';
  const object = objectArn({ partition }, bucket, call.key ?? '');
  if (res.status === 404) {
    const list: Check = { action: 's3:ListBucket', resource: bucketArn({ partition }, bucket) };
    return (await can(list)) ? { pass: true } : { deny: list };
  }
  if (res.status >= 300) return { pass: true };
  const header = (name: string) => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (call.operation === 'GetObject' && header('x-amz-server-side-encryption') === 'aws:kms') {
    const named = header('x-amz-server-side-encryption-aws-kms-key-id');
    const key = named?.startsWith('arn:') === true ? named : await f.bucketKey(bucket);
    if (key !== undefined) {
      const decrypt = kmsCheck('kms:Decrypt', key, call.region, f);
      if (!(await can(decrypt))) return { deny: decrypt };
    }
  }
  if (!(await can({ action: 's3:GetObjectRetention', resource: object }))) {
    delete res.headers['x-amz-object-lock-mode'];
    delete res.headers['x-amz-object-lock-retain-until-date'];
  }
  if (!(await can({ action: 's3:GetObjectLegalHold', resource: object })))
    delete res.headers['x-amz-object-lock-legal-hold'];
  return { pass: true };
}
