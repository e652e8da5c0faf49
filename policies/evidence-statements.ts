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
 * multipart upload it starts, and to decrypt it for every part, part copy and completion ("the requester
 * needs permissions for the kms:Decrypt action on the UploadPart and UploadPartCopy APIs"), so a step that
 * only uploads parts needs kms:Decrypt alone.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 */
const vaultKey = (
  r: ResponderResources,
  actions = ['kms:GenerateDataKey', 'kms:Decrypt'],
): PolicyStatement => ({
  Sid: 'VaultKey',
  Effect: 'Allow',
  Action: [...actions],
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
const ebsRead = (c: ArnContext, actions: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'ReadEvidenceSnapshotBlocks',
  Effect: 'Allow',
  Action: [...actions],
  Resource: snapshotArns(c),
  Condition: { Null: { 'aws:ResourceTag/sequester:quarantine-id': 'false' } },
});

/**
 * Snapshot creation and its tags (tags only at creation, so existing snapshots cannot be retagged), and
 * the EBS Snapshot Lock call when the deployment locks snapshots (config snapshotLockDays).
 */
function snapshotStatements(
  c: ArnContext,
  accounts: ReadonlyArray<string>,
  lock: boolean,
): PolicyStatement[] {
  const arn = (res: string) => accounts.map((a) => ec2Arn(c, a, res));
  const snapshots = snapshotArns(c);
  return [
    { Sid: 'FindSnapshots', Effect: 'Allow', Action: 'ec2:DescribeSnapshots', Resource: '*' },
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
    ...(lock
      ? [
          {
            // Only evidence snapshots (tagged at creation) can be locked.
            Sid: 'LockEvidenceSnapshots',
            Effect: 'Allow',
            Action: 'ec2:LockSnapshot',
            Resource: snapshots,
            Condition: { Null: { 'aws:ResourceTag/sequester:quarantine-id': 'false' } },
          } satisfies PolicyStatement,
        ]
      : []),
  ];
}

/** Deployment options that change what an evidence step calls. */
export interface EvidenceOptions {
  /** Evidence snapshots are locked with EBS Snapshot Lock (the snapshot step calls LockSnapshot). */
  readonly snapshotLock?: boolean;
}

/**
 * Context evidence (lambdas/core/evidence/context.ts): the instance, its network and role as they are,
 * its console output and screenshot, and recent CloudTrail events of its credentials. Describe and
 * LookupEvents support no resource-level permissions; the rest is scoped to instances and roles.
 */
function contextStatements(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  return [
    {
      Sid: 'ContextReads',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'cloudtrail:LookupEvents',
      ],
      Resource: '*',
    },
    {
      Sid: 'ConsoleEvidence',
      Effect: 'Allow',
      Action: ['ec2:GetConsoleOutput', 'ec2:GetConsoleScreenshot'],
      Resource: accounts.map((a) => ec2Arn(c, a, 'instance/*')),
    },
    {
      Sid: 'RoleEvidence',
      Effect: 'Allow',
      Action: [
        'iam:GetInstanceProfile',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
      ],
      Resource: accounts.flatMap((a) => [
        `arn:${c.partition}:iam::${a}:role/*`,
        `arn:${c.partition}:iam::${a}:instance-profile/*`,
      ]),
    },
  ];
}

/**
 * Objects written with an Object Lock retention or legal hold need s3:PutObjectRetention and
 * s3:PutObjectLegalHold besides s3:PutObject.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-permissions
 */
const LOCKED_PUT = ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'];

/** The statements of one evidence step, in the given accounts. */
export function evidenceStatements(
  step: EvidenceStep,
  c: ArnContext,
  r: ResponderResources,
  accounts: ReadonlyArray<string>,
  o: EvidenceOptions = {},
): PolicyStatement[] {
  switch (step) {
    case 'snapshot':
      return [
        ledger(r),
        ...snapshotStatements(c, accounts, o.snapshotLock ?? false),
        ...contextStatements(c, accounts),
        vaultBucket(r, ['s3:GetBucketObjectLockConfiguration']),
        vaultWrite(r, [...LOCKED_PUT, 's3:GetObject']),
        vaultKey(r),
      ];
    case 'poll-snapshots':
      return [
        ledger(r),
        { Sid: 'PollSnapshots', Effect: 'Allow', Action: 'ec2:DescribeSnapshots', Resource: '*' },
      ];
    case 'plan-export':
      // Starts the locked multipart uploads and writes the vault's zero object once (checked with HeadObject).
      return [
        ledger(r),
        vaultBucket(r, ['s3:GetBucketObjectLockConfiguration']),
        vaultWrite(r, [...LOCKED_PUT, 's3:GetObject']),
        vaultKey(r),
      ];
    case 'export-segment':
      // UploadPartCopy reads the zero object as its source.
      return [
        ledger(r),
        vaultWrite(r, ['s3:PutObject', 's3:GetObject']),
        vaultKey(r, ['kms:Decrypt']),
        ebsRead(c, ['ebs:ListSnapshotBlocks', 'ebs:GetSnapshotBlock']),
      ];
    case 'complete-export':
      return [
        ledger(r),
        // GetObjectAttributes reads back the composite checksum S3 computed for each completed image.
        vaultWrite(r, [
          ...LOCKED_PUT,
          's3:GetObject',
          's3:GetObjectAttributes',
          's3:ListMultipartUploadParts',
        ]),
        vaultKey(r),
        ebsRead(c, ['ebs:ListSnapshotBlocks']),
      ];
    case 'seal-manifest':
      // Sealing also aborts the quarantine's orphaned multipart uploads (lambdas/core/evidence/cleanup.ts).
      return [
        ledger(r),
        vaultBucket(r, ['s3:GetBucketObjectLockConfiguration', 's3:ListBucketMultipartUploads']),
        vaultWrite(r, [...LOCKED_PUT, 's3:GetObject', 's3:AbortMultipartUpload']),
        vaultKey(r),
      ];
  }
}

/**
 * The member-account side: what the evidence steps do to instances, volumes and snapshots there. A
 * member stack cannot know whether the responder locks snapshots, so it always allows the lock (only on
 * evidence-tagged snapshots; a lock only protects evidence).
 */
export const memberEvidenceStatements = (
  c: ArnContext,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] => [
  ...snapshotStatements(c, accounts, true),
  ebsRead(c, ['ebs:ListSnapshotBlocks', 'ebs:GetSnapshotBlock']),
];
