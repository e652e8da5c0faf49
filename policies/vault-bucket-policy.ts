import { denyInsecureTransport } from './bucket-policies';
import type { PolicyDocument } from './policy-document';

/**
 * Lambdas that write evidence into the vault (the only writers its bucket policy allows); snapshot writes
 * the context evidence, the investigation steps their reports (activity, reach).
 */
export const VAULT_WRITERS = [
  'snapshot',
  'plan-export',
  'export-segment',
  'complete-export',
  'seal-manifest',
  'investigate-activity',
  'investigate-reach',
  // Investigation results and the breach report (issue 15) are written beside the evidence.
  'investigate-exposure',
  'issue-report',
] as const;

export interface VaultPolicyArgs {
  readonly bucketArn: string;
  readonly keyArn: string;
  /** Roles that write evidence (the responder's evidence Lambdas). */
  readonly writerRoleArns: ReadonlyArray<string>;
  /** Roles that read evidence and set legal holds (the reviewer role). */
  readonly readerRoleArns: ReadonlyArray<string>;
}

/**
 * The evidence vault's bucket policy. Denies are used because they also bind administrators of the
 * account: only the responder writes, only reviewers (and the responder, which verifies what it wrote)
 * read, nothing travels without TLS, and no put may ask for a weaker lock or another key than the
 * vault's. Puts that carry no lock or encryption headers get the bucket defaults (COMPLIANCE retention,
 * SSE-KMS with the vault key), which is why absent headers are not denied (UploadPart never carries them).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-bucket-policy
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export function vaultBucketPolicy(a: VaultPolicyArgs): PolicyDocument {
  const objects = `${a.bucketArn}/*`;
  return {
    Version: '2012-10-17',
    Statement: [
      denyInsecureTransport(a.bucketArn),
      {
        Sid: 'DenyOtherEncryption',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        // Both keys in one block are ANDed: the header is present and is not SSE-KMS.
        Condition: {
          Null: { 's3:x-amz-server-side-encryption': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        },
      },
      {
        Sid: 'DenyOtherKey',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: {
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': a.keyArn },
        },
      },
      {
        Sid: 'DenyGovernanceLock',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:PutObject', 's3:PutObjectRetention'],
        Resource: objects,
        Condition: { StringEquals: { 's3:object-lock-mode': 'GOVERNANCE' } },
      },
      {
        Sid: 'OnlyResponderWrites',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:PutObject', 's3:PutObjectRetention'],
        Resource: objects,
        Condition: { StringNotLike: { 'aws:PrincipalArn': [...a.writerRoleArns] } },
      },
      {
        Sid: 'OnlyReviewersAndResponderRead',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes'],
        Resource: objects,
        Condition: { StringNotLike: { 'aws:PrincipalArn': [...a.readerRoleArns, ...a.writerRoleArns] } },
      },
      {
        Sid: 'OnlyReviewersAndResponderHold',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObjectLegalHold',
        Resource: objects,
        Condition: { StringNotLike: { 'aws:PrincipalArn': [...a.readerRoleArns, ...a.writerRoleArns] } },
      },
    ],
  };
}
