import * as z from 'zod/mini';
import { AuthorizationSnapshot, PolicyDocumentSchema } from '../../../../policies/evaluation/snapshot';
import { parseOrThrow } from '../../errors';
import { AccountId } from '../../schemas/ids';

/**
 * The account of a bucket in another account: S3 bucket ARNs carry none, and no S3 API tells a caller
 * outside the bucket's account which account owns it. Such a store is cross-account for the evaluation
 * (its policy must grant) and the keys that depend on its account are unknown.
 */
export const UNKNOWN_ACCOUNT = '000000000000';

/** The data stores whose reads reach.json reports. */
export const StoreType = z.enum(['s3', 'secretsmanager', 'ssm', 'dynamodb']);
export type StoreType = z.infer<typeof StoreType>;

/**
 * A candidate data store as collected. Its resource policy (and its key's key policy) live in the
 * snapshots' `resources`; here: where it is, its encryption key, its tags, and whether the collector could
 * read it at all (`unknown` = why not: such a store is reported `unknown`, never `denied`).
 */
export const StoreFacts = z.object({
  arn: z.string().check(z.minLength(1)),
  type: StoreType,
  region: z.string(),
  accountId: AccountId,
  /** The KMS key whose Decrypt reading the data needs; null: none in the account (SSE-S3, AWS owned key). */
  kmsKeyArn: z._default(z.nullable(z.string()), null),
  tags: z._default(z.record(z.string(), z.string()), {}),
  /**
   * S3 only: the bucket's Block Public Access settings as frozen (recorded for the reviewer; they restrict
   * public policies for callers outside the bucket's account, which the evaluation does not model yet).
   */
  publicAccessBlock: z.optional(z.record(z.string(), z.boolean())),
  unknown: z.optional(z.string()),
});
export type StoreFacts = z.infer<typeof StoreFacts>;

/** A role the sessions might assume: its snapshot (principal = a session of it) and trust policy. */
export const RoleCandidate = z.object({
  roleArn: z.string().check(z.minLength(1)),
  trustPolicy: z.nullable(PolicyDocumentSchema),
  snapshot: AuthorizationSnapshot,
});
export type RoleCandidate = z.infer<typeof RoleCandidate>;

/**
 * The frozen authorization state reach is computed from: authorization snapshots in the IAM evaluator's
 * format (issue 11) for the instance's session and for each role it might chain to, plus what the request
 * contexts need (the instance's network facts) and the deny Sequester writes. `requests` in the snapshots
 * may be empty: evaluateReach builds the requests of the three contexts itself. Version 1.
 *
 * @example
 * {
 *   "version": 1,
 *   "target": { "instanceArn": "arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaa1111aaaa1111a",
 *               "region": "eu-west-1", "vpcId": "vpc-0abc", "privateIp": "10.0.1.17",
 *               "vpcEndpoints": [ { "service": "s3", "id": "vpce-0s3", "region": "eu-west-1" } ] },
 *   "instance": { "version": 1, "principal": { "arn": "arn:aws:sts::111122223333:assumed-role/web-role/i-0aaa1111aaaa1111a",
 *                 "accountId": "111122223333", "roleArn": "arn:aws:iam::111122223333:role/web-role" },
 *                 "identityPolicies": [], "resources": [], "requests": [] },
 *   "roles": [],
 *   "isolationDeny": [],
 *   "stores": [ { "arn": "arn:aws:s3:::customer-data", "type": "s3", "region": "eu-west-1",
 *                 "accountId": "111122223333", "kmsKeyArn": null, "tags": { "data-classification": "customer" } } ],
 *   "unknown": [ { "what": "organizations", "reason": "AccessDeniedException" } ]
 * }
 */
export const ReachSnapshotSet = z.object({
  version: z.literal(1),
  target: z.object({
    instanceArn: z.string().check(z.regex(/^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:instance\/i-[0-9a-f]+$/)),
    region: z.string(),
    vpcId: z.optional(z.string()),
    privateIp: z.optional(z.string()),
    publicIp: z.optional(z.string()),
    /**
     * The instance VPC's endpoints by service (`s3`, `secretsmanager`, `ssm`, `dynamodb`, `kms`, `sts`),
     * with their type and, for interface endpoints, whether private DNS sends the service's default name
     * to them. Their policies are in `instance.vpcEndpoints` (the evaluator's input), by id.
     */
    vpcEndpoints: z._default(
      z.array(
        z.object({
          service: z.string(),
          id: z.string(),
          region: z.string(),
          type: z.optional(z.string()),
          privateDns: z.optional(z.boolean()),
        }),
      ),
      [],
    ),
    /** False when the endpoints could not be read: the VPC network keys are then unknown. */
    vpcEndpointsKnown: z._default(z.boolean(), true),
    orgId: z.optional(z.string()),
  }),
  instance: AuthorizationSnapshot,
  roles: z._default(z.array(RoleCandidate), []),
  isolationDeny: z._default(z.array(z.object({ name: z.string(), document: PolicyDocumentSchema })), []),
  stores: z.array(StoreFacts),
  unknown: z._default(z.array(z.object({ what: z.string(), reason: z.string() })), []),
});
export type ReachSnapshotSet = z.infer<typeof ReachSnapshotSet>;

export function parseReachSnapshotSet(input: unknown): ReachSnapshotSet {
  return parseOrThrow(ReachSnapshotSet, input);
}
