import type { ArnContext, ResponderResources } from './arn-context';
import { ledgerAppend, lockedVaultWrite } from './common-statements';
import type { PolicyStatement } from './policy-document';

/**
 * The CloudTrail trail the activity step reads (stack config): its bucket(s) and prefix, the
 * organisation id of an organisation trail, the trail's ARN for its settings, and the KMS keys of a
 * trail encrypted with SSE-KMS.
 */
export interface TrailAccess {
  readonly bucketNames: ReadonlyArray<string>;
  /** Key prefix before `AWSLogs/` ('' or ending with `/`). */
  readonly prefix: string;
  readonly organizationId?: string;
  readonly trailArn?: string;
  readonly kmsKeyArns: ReadonlyArray<string>;
}

/**
 * The S3 buckets VPC flow logs are delivered to (stack config flowLogBuckets, a log archive account's
 * included: its bucket policy must let the activity role read), and the KMS keys of SSE-KMS buckets.
 */
/** Config `flowLogGroups`'s default: every log group (IAM wildcard). */
export const ALL_LOG_GROUPS: ReadonlyArray<string> = ['*'];

export interface FlowLogAccess {
  readonly bucketNames: ReadonlyArray<string>;
  readonly kmsKeyArns: ReadonlyArray<string>;
}

const iamArns = (c: ArnContext, accounts: ReadonlyArray<string>, type: string) =>
  accounts.map((a) => `arn:${c.partition}:iam::${a}:${type}/*`);

/**
 * Reads of the trail: the log and digest files under the trail's prefix (under the organisation's
 * folder for an organisation trail), listings of that prefix, the trail's settings and, for an SSE-KMS
 * trail, the decrypt S3 asks KMS for on each GetObject.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
 */
function trailReads(c: ArnContext, t: TrailAccess): PolicyStatement[] {
  const logs = `${t.prefix}AWSLogs/${t.organizationId === undefined ? '' : `${t.organizationId}/`}*`;
  const buckets = t.bucketNames.map((b) => `arn:${c.partition}:s3:::${b}`);
  return [
    {
      Sid: 'TrailList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: buckets,
      Condition: { StringLike: { 's3:prefix': [`${t.prefix}AWSLogs/*`] } },
    },
    {
      Sid: 'TrailRead',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: buckets.map((b) => `${b}/${logs}`),
    },
    ...(t.kmsKeyArns.length === 0
      ? []
      : [{ Sid: 'TrailKey', Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: [...t.kmsKeyArns] }]),
    ...(t.trailArn === undefined
      ? []
      : [
          {
            Sid: 'TrailSettings',
            Effect: 'Allow' as const,
            Action: ['cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus'],
            Resource: t.trailArn,
          },
        ]),
  ];
}

/**
 * Reads of the flow log files: `[folder/]AWSLogs/<account>/vpcflowlogs/...` (Hive-compatible:
 * `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/...`), the folder being the flow log's own
 * (any), listings of those prefixes, and for an SSE-KMS bucket the decrypt S3 asks KMS for on GetObject.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */
function flowLogReads(c: ArnContext, f: FlowLogAccess): PolicyStatement[] {
  if (f.bucketNames.length === 0) return [];
  const buckets = f.bucketNames.map((b) => `arn:${c.partition}:s3:::${b}`);
  return [
    {
      Sid: 'FlowLogList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: buckets,
      Condition: { StringLike: { 's3:prefix': ['*AWSLogs/*vpcflowlogs/*'] } },
    },
    {
      Sid: 'FlowLogRead',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: buckets.map((b) => `${b}/*AWSLogs/*vpcflowlogs/*`),
    },
    ...(f.kmsKeyArns.length === 0
      ? []
      : [
          { Sid: 'FlowLogKey', Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: [...f.kmsKeyArns] },
        ]),
  ];
}

/** The activity step: who the instance session is, where it called from, and what the trail says. */
export function activityStatements(
  c: ArnContext,
  r: ResponderResources,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] {
  return [
    ledgerAppend(r.ledgerTableArn),
    ...lockedVaultWrite(r),
    ...activityInstanceReads(c, accounts, r.flowLogGroups),
    // LookupEvents (the fallback) and ListPublicKeys (digest signatures) support no resource-level
    // permissions. https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html
    {
      Sid: 'TrailHistory',
      Effect: 'Allow',
      Action: ['cloudtrail:LookupEvents', 'cloudtrail:ListPublicKeys'],
      Resource: '*',
    },
    ...(r.trail === undefined ? [] : trailReads(c, r.trail)),
    ...(r.flowLogs === undefined ? [] : flowLogReads(c, r.flowLogs)),
  ];
}

/**
 * In the instance's account: the role's id (GetRole), its profile, the VPC's NAT gateways, and for the
 * flow volume the flow logs covering the instance (DescribeFlowLogs), its VPC's ranges (DescribeVpcs)
 * and the CloudWatch Logs groups they publish to (FilterLogEvents on the groups config `flowLogGroups`
 * names: a flow log names its group freely, so the default is every group of the account, which also
 * lets the role read application logs; name the flow log groups to narrow it, none to read none).
 * EC2's Describe calls support no resource-level permissions.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
export const activityInstanceReads = (
  c: ArnContext,
  accounts: ReadonlyArray<string>,
  flowLogGroups: ReadonlyArray<string> = ALL_LOG_GROUPS,
): PolicyStatement[] => [
  {
    Sid: 'InstanceRole',
    Effect: 'Allow',
    Action: ['iam:GetRole', 'iam:GetInstanceProfile'],
    Resource: [...iamArns(c, accounts, 'role'), ...iamArns(c, accounts, 'instance-profile')],
  },
  {
    Sid: 'Network',
    Effect: 'Allow',
    Action: ['ec2:DescribeNatGateways', 'ec2:DescribeFlowLogs', 'ec2:DescribeVpcs'],
    Resource: '*',
  },
  ...(flowLogGroups.length === 0
    ? []
    : [
        {
          Sid: 'FlowLogGroups',
          Effect: 'Allow' as const,
          Action: 'logs:FilterLogEvents',
          Resource: accounts.flatMap((a) =>
            flowLogGroups.map((g) => `arn:${c.partition}:logs:*:${a}:log-group:${g}`),
          ),
        },
      ]),
];

/**
 * The reach collectors' reads in the instance's account: the role's policies and the roles it might
 * assume, every candidate store's policy, encryption key and tags, the keys' policies and the VPC's
 * endpoints. All read-only; listings without resource-level permissions take `*`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export function reachInstanceReads(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  const p = c.partition;
  const regional = (service: string, resource: string) =>
    accounts.map((a) => `arn:${p}:${service}:*:${a}:${resource}`);
  return [
    {
      Sid: 'ReachRoles',
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListRoleTags',
        'iam:ListRoles',
      ],
      Resource: iamArns(c, accounts, 'role'),
    },
    {
      // Managed policies of the account and AWS managed policies (account `aws`).
      Sid: 'ReachManagedPolicies',
      Effect: 'Allow',
      Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
      Resource: [...iamArns(c, accounts, 'policy'), `arn:${p}:iam::aws:policy/*`],
    },
    {
      Sid: 'ReachListings',
      Effect: 'Allow',
      Action: [
        's3:ListAllMyBuckets',
        'secretsmanager:ListSecrets',
        'ssm:DescribeParameters',
        'dynamodb:ListTables',
        'ec2:DescribeVpcEndpoints',
      ],
      Resource: '*',
    },
    {
      Sid: 'ReachBuckets',
      Effect: 'Allow',
      Action: [
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetEncryptionConfiguration',
        's3:GetBucketTagging',
        // ListBuckets may not name a bucket's Region; the collector then asks GetBucketLocation.
        's3:GetBucketLocation',
      ],
      Resource: `arn:${p}:s3:::*`,
    },
    {
      Sid: 'ReachSecrets',
      Effect: 'Allow',
      // DescribeSecret: the KMS key of a secret the role's policies name (collect-named.ts).
      Action: ['secretsmanager:GetResourcePolicy', 'secretsmanager:DescribeSecret'],
      Resource: regional('secretsmanager', 'secret:*'),
    },
    {
      Sid: 'ReachParameters',
      Effect: 'Allow',
      Action: 'ssm:ListTagsForResource',
      Resource: regional('ssm', 'parameter/*'),
    },
    {
      Sid: 'ReachTables',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:ListTagsOfResource'],
      Resource: regional('dynamodb', 'table/*'),
    },
    {
      Sid: 'ReachKeys',
      Effect: 'Allow',
      Action: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
      Resource: regional('kms', 'key/*'),
    },
  ];
}

/**
 * The reach step. AWS Organizations' reads (the SCP and RCP chains) support no resource-level scoping
 * the stack could name without the organization's id: `*`; outside the management account or a
 * delegated administrator they are refused, and the report records the chains as unknown.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
 */
export function reachStatements(
  c: ArnContext,
  r: ResponderResources,
  accounts: ReadonlyArray<string>,
): PolicyStatement[] {
  return [
    ledgerAppend(r.ledgerTableArn),
    ...lockedVaultWrite(r),
    ...reachInstanceReads(c, accounts),
    {
      Sid: 'ReachOrganization',
      Effect: 'Allow',
      Action: [
        'organizations:DescribeOrganization',
        'organizations:DescribePolicy',
        'organizations:ListPoliciesForTarget',
        'organizations:ListParents',
      ],
      Resource: '*',
    },
  ];
}

/** The flow log buckets' access from the configuration; undefined without a bucket. */
export const flowLogAccess = (f: {
  readonly buckets: ReadonlyArray<string>;
  readonly kmsKeyArns: ReadonlyArray<string>;
}): FlowLogAccess | undefined =>
  f.buckets.length === 0 ? undefined : { bucketNames: [...f.buckets], kmsKeyArns: [...f.kmsKeyArns] };

/** The trail's access from its configuration (names as configured); undefined without a bucket. */
export function trailAccess(
  c: ArnContext,
  t: {
    readonly buckets: ReadonlyArray<string>;
    readonly prefix: string;
    readonly organizationId?: string | undefined;
    readonly trailName?: string | undefined;
    readonly kmsKeyArns: ReadonlyArray<string>;
  },
): TrailAccess | undefined {
  if (t.buckets.length === 0) return undefined;
  const name = t.trailName;
  return {
    bucketNames: [...t.buckets],
    prefix: t.prefix,
    ...(t.organizationId === undefined ? {} : { organizationId: t.organizationId }),
    ...(name === undefined
      ? {}
      : {
          // A trail named without its ARN is this account's, in the home region.
          trailArn: name.startsWith('arn:')
            ? name
            : `arn:${c.partition}:cloudtrail:${c.region}:${c.accountId}:trail/${name}`,
        }),
    kmsKeyArns: [...t.kmsKeyArns],
  };
}
