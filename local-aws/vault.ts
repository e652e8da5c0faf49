import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ClientOptions } from '../lambdas/core/clients';

export interface LocalVault {
  readonly bucket: string;
  readonly kmsKeyArn: string;
}

/**
 * An evidence vault for tests and the demo: a bucket with S3 Object Lock enabled (which also turns on
 * versioning) and SSE-KMS default encryption with its own key. The deployed vault comes from the
 * Pulumi stack; this mirrors its settings on moto.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html
 */
export async function createVault(
  s3: S3Client,
  opts: ClientOptions,
  bucket = 'sequester-evidence-vault',
  objectLock = true,
): Promise<LocalVault> {
  const kms = new KMSClient({
    region: opts.region,
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
  });
  const key = await kms.send(new CreateKeyCommand({ Description: `${bucket} evidence encryption` }));
  const kmsKeyArn = key.KeyMetadata?.Arn ?? '';
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectLockEnabledForBucket: objectLock,
      ...(opts.region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: opts.region as BucketLocationConstraint } }),
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  kms.destroy();
  return { bucket, kmsKeyArn };
}
