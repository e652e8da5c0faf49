import type { ArnContext, ResponderResources } from './arn-context';
import type { PolicyStatement } from './policy-document';

/**
 * Statements several Lambda roles share, in a module of their own so the statement files that use them
 * (responder-, investigation-, report-statements) need not import each other.
 */

/** Read a record and append to it (UpdateItem), never create or delete one. */
export const ledgerAppend = (tableArn: string): PolicyStatement => ({
  Sid: 'LedgerAppend',
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  Resource: tableArn,
});

/**
 * Locked writes into the vault: an Object Lock retention or legal hold on the put needs
 * s3:PutObjectRetention and s3:PutObjectLegalHold besides s3:PutObject, and S3 asks the vault key for a
 * data key (SSE-KMS), and to decrypt what `reads` reads back.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-permissions
 */
export const lockedVaultWrite = (
  r: ResponderResources,
  reads: ReadonlyArray<string> = [],
): PolicyStatement[] => [
  {
    Sid: 'VaultWrite',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold', ...reads],
    Resource: `${r.vaultBucketArn}/*`,
  },
  {
    Sid: 'VaultKey',
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', ...(reads.length === 0 ? [] : ['kms:Decrypt'])],
    Resource: r.vaultKeyArn,
  },
];

/** The MemberAccess role in each member account (the stack creates it with one fixed name). */
export const memberRoleArns = (c: ArnContext, r: ResponderResources) =>
  r.memberAccountIds.map((a) => `arn:${c.partition}:iam::${a}:role/${r.memberRoleName}`);

export const assumeMemberRoles = (c: ArnContext, r: ResponderResources): PolicyStatement[] =>
  r.memberAccountIds.length === 0
    ? []
    : [
        {
          Sid: 'AssumeMemberAccess',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: memberRoleArns(c, r),
        },
      ];
