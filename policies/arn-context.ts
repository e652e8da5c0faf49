import type { FlowLogAccess, TrailAccess } from './investigation-statements';

/**
 * Where the responder runs and what it owns: every policy builder takes this, so statements name real
 * resources instead of `*` wherever the IAM service supports resource-level permissions.
 */
export interface ArnContext {
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** The responder's own account. */
  readonly accountId: string;
  /** The responder's home region (ledger, vault, topic, state machine). */
  readonly region: string;
}

/** Resources the responder stack creates, by ARN (Pulumi resolves them before the policy is rendered). */
export interface ResponderResources {
  readonly ledgerTableArn: string;
  readonly vaultBucketArn: string;
  readonly vaultKeyArn: string;
  readonly topicArn: string;
  readonly stateMachineArn: string;
  /** Role name the MemberAccess stack creates in each member account. */
  readonly memberRoleName: string;
  /** Member accounts the responder may act in (besides its own). Empty: only its own account. */
  readonly memberAccountIds: ReadonlyArray<string>;
  /** The CloudTrail trail the activity step reads (config trailBuckets...); absent: LookupEvents only. */
  readonly trail?: TrailAccess;
  /** The S3 buckets VPC flow logs are delivered to (config flowLogBuckets); absent: CloudWatch Logs only. */
  readonly flowLogs?: FlowLogAccess;
  /** CloudWatch Logs group names (IAM wildcards) the activity step may read flow logs from; default all. */
  readonly flowLogGroups?: ReadonlyArray<string>;
}

/** ARN of a resource type in any region of the given account (`instance/*`, `security-group/*`...). */
export const ec2Arn = (c: ArnContext, account: string, resource: string) =>
  `arn:${c.partition}:ec2:*:${account}:${resource}`;

/** Accounts the responder acts in: its own plus the configured member accounts, deduplicated. */
export const actingAccounts = (c: ArnContext, r: Pick<ResponderResources, 'memberAccountIds'>) => [
  ...new Set([c.accountId, ...r.memberAccountIds]),
];

/** The execution ARN prefix of one state machine (`arn:...:stateMachine:name` -> `...:execution:name:*`). */
export const executionArnPattern = (stateMachineArn: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;

/** Responder roles live under this path; the MemberAccess trust and the vault policy name them exactly. */
export const RESPONDER_PATH = '/sequester/';
export const responderRoleName = (prefix: string, lambda: string) => `${prefix}-${lambda}`;
export const responderRoleArn = (
  c: Pick<ArnContext, 'partition' | 'accountId'>,
  prefix: string,
  lambda: string,
) => `arn:${c.partition}:iam::${c.accountId}:role${RESPONDER_PATH}${responderRoleName(prefix, lambda)}`;
export const ledgerTableName = (prefix: string) => `${prefix}-ledger`;
export const stateMachineName = (prefix: string) => `${prefix}-quarantine`;
export const stateMachineArn = (c: ArnContext, prefix: string) =>
  `arn:${c.partition}:states:${c.region}:${c.accountId}:stateMachine:${stateMachineName(prefix)}`;
export const ledgerTableArn = (c: ArnContext, prefix: string) =>
  `arn:${c.partition}:dynamodb:${c.region}:${c.accountId}:table/${ledgerTableName(prefix)}`;
