import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { accessLogBucketPolicy } from '../policies/bucket-policies';

/**
 * The target of the vault's server access logs: a separate bucket (logging into the vault itself would
 * lock the logs and loop), SSE-S3 because S3 log delivery cannot use SSE-KMS, private, TLS only, and
 * writable only by the S3 logging service on behalf of this account.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function serverAccessLogBucket(name: string, parent: pulumi.Resource): aws.s3.Bucket {
  const opts = { parent };
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  const bucket = new aws.s3.Bucket(name, { forceDestroy: false }, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-sse`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    opts,
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
    opts,
  );
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: pulumi
        .all([bucket.arn, account])
        .apply(([arn, acct]) => JSON.stringify(accessLogBucketPolicy(arn, acct))),
    },
    opts,
  );
  return bucket;
}
