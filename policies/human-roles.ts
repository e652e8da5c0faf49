import { DEFAULT_EVIDENCE_CONFIG } from '../lambdas/core/evidence/config';
import { recordKey } from '../lambdas/core/ledger/record';
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
    // Custody entries (`evidence download`: who and the SHA-256 of each image; `evidence legal-hold`)
    // are appended to a quarantine record's timeline: UpdateItem of `Q#` records that names only the
    // key, `actions` and `updatedAt`. The key attribute is among the attributes a request names; the
    // Null checks refuse a request that would carry no attribute or key list (ForAllValues alone is
    // true for a missing key).
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
    {
      Sid: 'AppendCustodyActions',
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: a.ledgerTableArn,
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...CUSTODY_ATTRIBUTES] },
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [recordKey('*')] },
        Null: { 'dynamodb:Attributes': 'false', 'dynamodb:LeadingKeys': 'false' },
      },
    },
  ],
});

/** What appending to a quarantine's timeline touches (lambdas/core/ledger/ledger.ts updateQuarantine). */
export const CUSTODY_ATTRIBUTES = ['pk', 'actions', 'updatedAt'] as const;

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
