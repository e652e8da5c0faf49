import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { JURISDICTIONS } from '../lambdas/core/report/inputs';
import { AccountId, Cidr, Region } from '../lambdas/core/schemas/ids';
import { effectiveAllow } from './guardduty-pattern';

/** Same alphabet as intake's finding type prefixes (lambdas/core/intake/intake-config.ts). */
const prefix = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9:/._!&+-]{0,255}$/,
    'must be a GuardDuty finding type prefix such as Backdoor:EC2/',
  );
const arn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/, 'must be an IAM ARN');
/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name');
const kmsKeyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN');
/** A trail name (3-128 of letters, digits, . _ -) or a trail ARN. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html */
const trailName = z
  .string()
  .regex(
    /^([A-Za-z0-9][A-Za-z0-9._-]{2,127}|arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128})$/,
    'must be a trail name or a trail ARN',
  );
const tagKey = z.string().regex(/^[A-Za-z0-9 _.:/=+@-]{1,128}$/, 'must be a tag key');

/**
 * The deployment's configuration (namespace `sequester`). Every key is declared with its description and
 * default in Pulumi.yaml; the defaults here are the same, so a program run under test mocks or with an
 * empty stack file behaves as `pulumi up` does.
 *
 * @example stacks/Pulumi.example.yaml
 * config:
 *   sequester:retentionDays: 2555
 *   sequester:severityFloor: 7
 *   sequester:memberAccountIds: ["210987654321"]
 */
export const SequesterConfig = z.object({
  /** `responder` deploys the system; `member` deploys only the MemberAccess role into a member account. */
  stackKind: z.enum(['responder', 'member']).default('responder'),
  /** Name prefix of named resources (roles, functions) so two deployments can share an account. */
  resourcePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be 2-21 of a-z 0-9 - starting with a letter')
    .default('sequester'),
  retentionDays: z.number().int().min(1, 'must be at least 1 day').max(36500).default(365),
  legalHoldDefault: z.boolean().default(false),
  severityFloor: z.number().min(0).max(10).default(7),
  findingTypeAllow: z.array(prefix).default([]),
  findingTypeDeny: z.array(prefix).default([]),
  allowSampleFindings: z.boolean().default(false),
  exemptionTag: z
    .string()
    .regex(/^[A-Za-z0-9 _.:/=+@-]{1,128}$/, 'must be a valid EC2 tag key')
    .default('sequester:exempt'),
  forensicCidrs: z.array(Cidr).max(10).default([]),
  stopInstance: z.boolean().default(false),
  exportConcurrency: z.number().int().min(1).max(40).default(8),
  /**
   * Hours the workflow waits for the evidence snapshots before it fails with SnapshotTimeout. At most a
   * week: the polling loop then stays under a third of the 25,000-event execution history
   * (lambdas/core/workflow/snapshot-polling.ts).
   */
  snapshotTimeoutHours: z.number().int().min(1).max(168, 'must be at most 168 hours (a week)').default(24),
  /**
   * Days each evidence snapshot is locked in EBS Snapshot Lock compliance mode (nobody can delete it,
   * root included); 0: no lock. LockDuration takes 1 to 36500 days.
   * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LockSnapshot.html
   */
  snapshotLockDays: z
    .number()
    .int('must be a whole number of days')
    .min(0, 'must be 0 (no lock) or 1 to 36500 days')
    .max(36500, 'must be at most 36500 days (the EBS Snapshot Lock limit)')
    .default(0),
  memberAccountIds: z.array(AccountId).default([]),
  /**
   * Regions, besides the home region (`aws:region`), whose GuardDuty findings are forwarded to the
   * responder and where it acts. Empty: the home region only (findings of other regions never arrive).
   */
  memberRegions: z.array(Region).default([]),
  memberRoleName: z
    .string()
    .regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, 'must be an IAM role name')
    .default('sequester-member-access'),
  /** Member stacks only: the account the responder runs in (its roles are the only ones trusted). */
  responderAccountId: z.optional(AccountId),
  notificationEmails: z.array(z.email()).default([]),
  isolateProvisionedConcurrency: z.number().int().min(0).max(100).default(0),
  logRetentionDays: z
    .number()
    .int()
    .refine((d) => LOG_RETENTION_DAYS.has(d), 'must be a CloudWatch Logs retention value such as 365')
    .default(365),
  coldStorageAfterDays: z.number().int().min(1).default(90),
  apiThrottleRate: z.number().min(1).default(10),
  apiThrottleBurst: z.number().int().min(1).default(20),
  reviewerPrincipalArns: z.array(arn).default([]),
  onCallPrincipalArns: z.array(arn).default([]),
  /**
   * The CloudTrail trail's bucket(s) the activity step reads (an organisation trail's in a log archive
   * account: its bucket policy must let the investigate-activity role read). Empty: the step falls back
   * to LookupEvents (90 days of management events, no data events).
   */
  trailBuckets: z.array(bucketName).default([]),
  /** The trail's S3 key prefix, before `AWSLogs/` (empty: none). */
  trailPrefix: z
    .string()
    .regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, 'must be empty or a key prefix ending with /')
    .default(''),
  /** The organisation id of an organisation trail (`o-...`): reads are scoped to `AWSLogs/<org id>/`. */
  trailOrganizationId: z.optional(
    z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id (o-...)'),
  ),
  /** The trail's name or ARN, for GetEventSelectors and GetTrailStatus (coverage); empty: not asked. */
  trailName: z.optional(trailName),
  /** KMS keys the trail's log files are encrypted with (SSE-KMS): the activity role may decrypt with them. */
  trailKmsKeyArns: z.array(kmsKeyArn).default([]),
  /**
   * S3 buckets VPC flow logs are delivered to (a log archive account's: its bucket policy must let the
   * investigate-activity role read). Flow logs to CloudWatch Logs need no config. Empty: flow logs in S3
   * are reported unknown.
   */
  flowLogBuckets: z.array(bucketName).default([]),
  /** KMS keys the flow log buckets encrypt with (SSE-KMS): the activity role may decrypt with them. */
  flowLogKmsKeyArns: z.array(kmsKeyArn).default([]),
  /**
   * CloudWatch Logs groups (names, IAM wildcards `*` `?`) the activity step may read flow logs from, in
   * every account it acts in. Default every group: a flow log names its group freely, but this also lets
   * the role read application logs; name your flow log groups (`/vpc/flow-logs/*`) to narrow it, or `[]`
   * to read none (flow logs in CloudWatch Logs are then reported unknown). Also the MemberAccess stack's.
   */
  flowLogGroups: z
    .array(z.string().regex(/^[A-Za-z0-9_./#*?-]{1,512}$/, 'must be a log group name or pattern'))
    .default(['*']),
  /**
   * Seconds between sealing and the second activity pass: CloudTrail delivers log files about 5 minutes
   * after the call on average, without a guarantee.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
   */
  lateActivityDelaySeconds: z.number().int().min(60).max(86400).default(1200),
  /** AssumeRole hops the reach step follows from the instance's role. */
  reachDepth: z.number().int().min(0).max(3).default(1),
  /** Store tag keys carried into reach.json as the data classification. */
  classificationTags: z.array(tagKey).max(10).default(['data-classification', 'pii']),
  /** The breach report's organisation name (its summary names it). */
  reportOrganisation: z.string().max(200).default(''),
  /** Jurisdictions whose notification clocks the breach report computes (lambdas/core/report/clocks.ts). */
  reportJurisdictions: z.array(z.enum(JURISDICTIONS)).default([]),
  /** A banner at the top of the breach report, e.g. an attorney-client privilege notice (empty: none). */
  reportPrivilegeBanner: z.string().max(500).default(''),
  /** The IANA time zone the breach report shows next to UTC (empty: UTC only). */
  reportTimeZone: z
    .string()
    .refine((tz) => {
      if (tz === '') return true;
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin')
    .default(''),
});
export type SequesterConfig = z.infer<typeof SequesterConfig>;
export const CONFIG_KEYS = Object.keys(SequesterConfig.shape) as ReadonlyArray<keyof SequesterConfig>;

/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
const LOG_RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

/** The schema type under `.default()`/`.optional()` wrappers. */
function baseType(schema: unknown): string {
  let def = (schema as { _zod: { def: { type: string; innerType?: unknown } } })._zod.def;
  while (def.innerType !== undefined)
    def = (def.innerType as typeof schema & { _zod: { def: typeof def } })._zod.def;
  return def.type;
}

/**
 * Config values arrive as strings (numbers, booleans and lists as JSON); this reads them back. String
 * keys stay as given, so an account id such as "012345678901" is never read as a number.
 */
function decode(key: keyof SequesterConfig, value: string): unknown {
  if (baseType(SequesterConfig.shape[key]) === 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Validates raw config values (key -> string as Pulumi stores them). Throws a RunError naming every bad
 * key as `sequester:<key>`, so `pulumi preview` stops with a message the operator can act on.
 */
export function parseConfig(get: (key: string) => string | undefined): SequesterConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = get(key);
    // Pulumi.yaml's empty-string default stands for "not set".
    if (value !== undefined && value !== '') raw[key] = decode(key, value);
  }
  const result = SequesterConfig.safeParse(raw);
  if (!result.success) {
    const parts = result.error.issues.map((i) => `sequester:${i.path.map(String).join('.')}: ${i.message}`);
    throw new pulumi.RunError(`invalid configuration: ${parts.join('; ')}`);
  }
  const cfg = result.data;
  if (cfg.findingTypeAllow.length > 0 && effectiveAllow(cfg).length === 0) {
    throw new pulumi.RunError(
      'invalid configuration: sequester:findingTypeDeny: denies every type sequester:findingTypeAllow allows',
    );
  }
  if (cfg.stackKind === 'member' && cfg.responderAccountId === undefined) {
    throw new pulumi.RunError(
      'invalid configuration: sequester:responderAccountId: is required for a member stack',
    );
  }
  return cfg;
}

/** Reads and validates the current stack's configuration. */
export const readConfig = (): SequesterConfig => {
  const config = new pulumi.Config('sequester');
  return parseConfig((key) => config.get(key));
};
