import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * A CloudTrail trail bucket on the emulator, laid out as CloudTrail delivers: one gzip JSON file
 * (`{"Records": [...]}`) per delivery under `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`,
 * named `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
export async function createTrailBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Writes one delivery of records (in the given region's folder of the account) and returns its key. */
export async function deliverTrailFile(
  s3: S3Client,
  t: { bucket: string; account: string; region: string; deliveredAt: Date; prefix?: string },
  records: ReadonlyArray<Record<string, unknown>>,
): Promise<string> {
  const d = t.deliveredAt;
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  const key = `${t.prefix ?? ''}AWSLogs/${t.account}/CloudTrail/${t.region}/${day}/${t.account}_CloudTrail_${t.region}_${stamp}_${randomBytes(8).toString('hex')}.json.gz`;
  await s3.send(
    new PutObjectCommand({
      Bucket: t.bucket,
      Key: key,
      Body: gzipSync(Buffer.from(JSON.stringify({ Records: records }))),
      ContentType: 'application/json',
    }),
  );
  return key;
}
