import { type ArnContext, ec2Arn, type ResponderResources } from './arn-context';
import type { PolicyStatement } from './policy-document';

export type EvidenceStep =
  | 'snapshot'
  | 'poll-snapshots'
  | 'plan-export'
  | 'export-segment'
  | 'complete-export'
  | 'seal-manifest';

const ledger = (r: ResponderResources): PolicyStatement => ({
  Sid: 'LedgerCustody',
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  Resource: r.ledgerTableArn,
});

/**
 * Objects go into the vault encrypted with the vault key: S3 asks KMS for a data key on every put and
 * part, and to decrypt it when a multipart upload is completed or a part is copied.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
const vaultKey = (r: ResponderResources): PolicyStatement => ({
  Sid: 'VaultKey',
  Effect: 'Allow',
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: r.vaultKeyArn,
});

const vaultWrite = (r: ResponderResources, actions: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'VaultWrite',
  Effect: 'Allow',
  Action: [...actions],
  Resource: `${r.vaultBucketArn}/*`,
});

const vaultBucket = (r: ResponderResources, actions: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'VaultBucketRead',
  Effect: 'Allow',
  Action: [...actions],
  Resource: r.vaultBucketArn,
});

/**
 * Snapshot ARNs carry no account id (`arn:aws:ec2:region::snapshot/id`), so reads of snapshot blocks are
 * scoped by the incident tag the snapshot step puts on every evidence snapshot.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticblockstore.html
 */
export const snapshotArns = (c: ArnContext) => [`arn:${c.partition}:ec2:*::snapshot/*`];
const ebsRead = (c: ArnContext): PolicyStatement => ({
  Sid: 'ReadEvidenceSnapshotBlocks',
  Effect: 'Allow',
  Action: ['ebs:ListSnapshotBlocks', 'ebs:GetSnapshotBlock'],
  Resource: snapshotArns(c),
  Condition: { Null: { 'aws:ResourceTag/sequester:quarantine-id': 'false' } },
});

/** Snapshot creation and its tags (tags only at creation, so existing snapshots cannot be retagged). */
function snapshotStatements(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  const arn = (res: string) => accounts.map((a) => ec2Arn(c, a, res));
  const snapshots = snapshotArns(c);
  return [
    {
      Sid: 'DescribeForEvidence',
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots'],
      Resource: '*',
    },
    {
      Sid: 'CreateSnapshots',
      Effect: 'Allow',
      Action: 'ec2:CreateSnapshots',
      Resource: [...arn('instance/*'), ...arn('volume/*'), ...snapshots],
    },
    {
      Sid: 'TagSnapshotsAtCreation',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: snapshots,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshots' } },
    },
  ];
}

/** The statements of one evidence step, in the given accounts. */
export function evidenceStatements(
  step: EvidenceStep,
  c: ArnContext,
  r: ResponderResources,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] {
  switch (step) {
    case 'snapshot':
      return [ledger(r), ...snapshotStatements(c, accounts)];
    case 'poll-snapshots':
      return [
        ledger(r),
        { Sid: 'PollSnapshots', Effect: 'Allow', Action: 'ec2:DescribeSnapshots', Resource: '*' },
      ];
    case 'plan-export':
      return [
        ledger(r),
        vaultBucket(r, ['s3:GetBucketObjectLockConfiguration']),
        vaultWrite(r, ['s3:PutObject']),
        vaultKey(r),
        ebsRead(c),
      ];
    case 'export-segment':
      return [vaultWrite(r, ['s3:PutObject', 's3:GetObject']), vaultKey(r), ebsRead(c)];
    case 'complete-export':
      return [ledger(r), vaultWrite(r, ['s3:PutObject', 's3:ListMultipartUploadParts']), vaultKey(r)];
    case 'seal-manifest':
      return [
        ledger(r),
        vaultWrite(r, ['s3:PutObject', 's3:GetObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold']),
        vaultKey(r),
      ];
  }
}

/** The member-account side: what the evidence steps do to instances, volumes and snapshots there. */
export const memberEvidenceStatements = (
  c: ArnContext,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] => [...snapshotStatements(c, accounts), ebsRead(c)];
