import type { PolicyDocument, PolicyStatement } from './policy-document';

/**
 * Refuses every request to the bucket and its objects that does not come over TLS.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export const denyInsecureTransport = (bucketArn: string): PolicyStatement => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [bucketArn, `${bucketArn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/**
 * The server access log bucket's policy: TLS only, and writable only by the S3 logging service on
 * behalf of this account.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export const accessLogBucketPolicy = (bucketArn: string, accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    denyInsecureTransport(bucketArn),
    {
      Sid: 'S3ServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ],
});
