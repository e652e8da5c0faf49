import { ZERO_OBJECT_PREFIX } from '../lambdas/core/evidence/config';
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
 * A snapshot of an encrypted volume is encrypted with the volume's KMS key, and the EBS direct APIs
 * use that key on the caller's behalf: the caller needs kms:Decrypt on it (EBS user guide, "Control
 * access to EBS direct APIs", the policy for encrypted snapshots; kms:DescribeKey from the same list).
 * The volume's key is the workload owner's, unknown to the stack, so the grant covers the keys of the
 * accounts the responder acts in; a key policy that does not delegate to its account (the `kms:*` root
 * statement of the default key policy) must name these roles itself (README, "Encrypted volumes").
 * No kms:ViaService condition: the docs do not name the value EBS direct API calls carry.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-permissions.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
const snapshotKeys = (c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'DecryptEncryptedSnapshots',
  Effect: 'Allow',
  Action: ['kms:Decrypt', 'kms:DescribeKey'],
  Resource: accounts.map((a) => `arn:${c.partition}:kms:*:${a}:key/*`),
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

/** The vault's zero objects (lambdas/core/evidence/vault.ts zeroKey: `sequester-zero/<size>[.g<n>].bin`). */
export const ZERO_OBJECT_PATTERN = `${ZERO_OBJECT_PREFIX}*`;

/**
 * HEAD of a missing key answers 404 only to a caller with s3:ListBucket on the bucket, 403 otherwise, so
 * the zero-object existence check needs it in a new vault. "If you don't have the s3:ListBucket
 * permission, Amazon S3 returns an HTTP status code 403 Forbidden error."
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 * S3 does not document which s3:prefix (if any) it evaluates for that check, so the condition is
 * ...IfExists: the check passes without the key, and a listing that names a prefix is limited to the
 * zero objects' (a listing without a prefix carries an empty one, which does not match).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
const zeroObjectLookup = (r: ResponderResources): PolicyStatement => ({
  Sid: 'ZeroObjectLookup',
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: r.vaultBucketArn,
  Condition: { StringLikeIfExists: { 's3:prefix': [ZERO_OBJECT_PATTERN] } },
});

/**
 * Completion reads back the version it just completed (HeadObject with VersionId) and its lock, and the
 * recovery path reads that version's attributes:
 * - "If you include a versionId ... you must have the s3:GetObjectVersion permission" (HEAD "has the same
 *   options as a GET");
 * - `x-amz-object-lock-mode`/`-retain-until-date` are "only returned if the requester has the
 *   s3:GetObjectRetention permission", `x-amz-object-lock-legal-hold` only with s3:GetObjectLegalHold;
 * - GetObjectAttributes of a version needs "both the s3:GetObjectVersion and
 *   s3:GetObjectVersionAttributes permissions".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
 */
const completedImageReadBack = (r: ResponderResources): PolicyStatement => ({
  Sid: 'ReadBackCompletedVersion',
  Effect: 'Allow',
  Action: [
    's3:GetObjectVersion',
    's3:GetObjectRetention',
    's3:GetObjectLegalHold',
    's3:GetObjectVersionAttributes',
  ],
  Resource: `${r.vaultBucketArn}/*`,
});

/**
 * AWS key ids found on a disk are resolved in complete-export: their account with
 * sts:GetAccessKeyInfo (no resource types, so `*`), and, for keys of the instance's own account, their
 * user with iam:GetAccessKeyLastUsed (resource type user) in that account.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
const accessKeyLookups = (c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] => [
  { Sid: 'AccessKeyAccount', Effect: 'Allow', Action: 'sts:GetAccessKeyInfo', Resource: '*' },
  {
    Sid: 'AccessKeyOwner',
    Effect: 'Allow',
    Action: 'iam:GetAccessKeyLastUsed',
    Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:user/*`),
  },
];

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
        zeroObjectLookup(r),
        vaultWrite(r, [...LOCKED_PUT, 's3:GetObject']),
        vaultKey(r),
      ];
    case 'export-segment':
      // UploadPartCopy reads the zero object as its source; the segment's secret findings are a locked
      // object of their own (lambdas/core/evidence/segment-findings-object.ts), hence the lock and the
      // data key.
      return [
        ledger(r),
        vaultWrite(r, [...LOCKED_PUT, 's3:GetObject']),
        vaultKey(r),
        ebsRead(c, ['ebs:ListSnapshotBlocks', 'ebs:GetSnapshotBlock']),
        snapshotKeys(c, accounts),
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
        completedImageReadBack(r),
        vaultKey(r),
        ebsRead(c, ['ebs:ListSnapshotBlocks']),
        ...accessKeyLookups(c, accounts),
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
 * evidence-tagged snapshots; a lock only protects evidence). The snapshot step captures the context
 * evidence with the member role too (lambdas/handlers/snapshot.ts builds its EC2, IAM and CloudTrail
 * clients from it), so the member role needs the context reads; without them every capture there is
 * AccessDenied, recorded as "unavailable".
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
export const memberEvidenceStatements = (
  c: ArnContext,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] => [
  ...snapshotStatements(c, accounts, true),
  ...contextStatements(c, accounts),
  ebsRead(c, ['ebs:ListSnapshotBlocks', 'ebs:GetSnapshotBlock']),
  snapshotKeys(c, accounts),
  // complete-export resolves key ids found on a member instance's disk to their user there.
  {
    Sid: 'AccessKeyOwner',
    Effect: 'Allow',
    Action: 'iam:GetAccessKeyLastUsed',
    Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:user/*`),
  },
];
