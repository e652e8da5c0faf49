import { DEFAULT_EVIDENCE_CONFIG } from '../lambdas/core/evidence/config';
import type { PolicyDocument } from './policy-document';

export interface ReviewerArgs {
  readonly vaultBucketArn: string;
  /** Key prefix of the evidence objects (default `evidence/`): the only objects a reviewer may restore. */
  readonly evidencePrefix?: string;
  readonly vaultKeyArn: string;
  readonly ledgerTableArn: string;
}

/**
 * The reviewer reads and verifies evidence and places legal holds. It can never delete, shorten a
 * retention or write an object: those actions are simply not granted (and COMPLIANCE mode refuses them to
 * everyone anyway). https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-legal-holds.html
 */
export const reviewerPolicy = (a: ReviewerArgs): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ListVault',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'],
      Resource: a.vaultBucketArn,
    },
    {
      Sid: 'ReadAndHoldEvidence',
      Effect: 'Allow',
      Action: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:GetObjectAttributes',
        's3:GetObjectVersionAttributes',
        's3:GetObjectRetention',
        's3:GetObjectLegalHold',
        's3:PutObjectLegalHold',
      ],
      Resource: `${a.vaultBucketArn}/*`,
    },
    // Evidence past the cold-storage transition (DEEP_ARCHIVE) must be restored before it can be read:
    // `sequester evidence restore-archive`. https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html
    {
      Sid: 'RestoreArchivedEvidence',
      Effect: 'Allow',
      Action: 's3:RestoreObject',
      Resource: `${a.vaultBucketArn}/${a.evidencePrefix ?? DEFAULT_EVIDENCE_CONFIG.prefix}*`,
    },
    { Sid: 'DecryptEvidence', Effect: 'Allow', Action: 'kms:Decrypt', Resource: a.vaultKeyArn },
    {
      Sid: 'ReadLedger',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query'],
      Resource: a.ledgerTableArn,
    },
  ],
});

/**
 * The on-call role may call the Sequester API and nothing else; API Gateway checks this grant because
 * every route uses AWS_IAM authorization.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html
 */
export const onCallPolicy = (apiExecutionArn: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'InvokeSequesterApi',
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: `${apiExecutionArn}/*`,
    },
  ],
});
