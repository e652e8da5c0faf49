import * as z from 'zod/mini';

const Decision = z.enum(['Allowed', 'ExplicitDeny', 'ImplicitDeny', 'Conditional']);

/** One read action's decision, with the statements that decided it (and the unknown keys, if Conditional). */
const ActionDecision = z.object({
  action: z.string(),
  resource: z.string(),
  decision: Decision,
  decidedBy: z.array(z.object({ policy: z.string(), statement: z.number(), sid: z.optional(z.string()) })),
  unknownKeys: z.optional(z.array(z.string())),
});

/**
 * `readable`: `yes` when some read action and (for encrypted data) the Decrypt of its key are allowed;
 * `conditional` when that depends on a key whose value cannot be known; `unknown` when the store could not
 * be collected; else `no`.
 */
export const Readable = z.enum(['yes', 'no', 'conditional', 'unknown']);
export type Readable = z.infer<typeof Readable>;

const ContextResult = z.object({ readable: Readable, actions: z.array(ActionDecision) });

/**
 * What a quarantined instance's session could read, per data store and context, before and after
 * Sequester's deny, directly and through the roles it may assume. Written to the vault as `reach.json`.
 *
 * @example
 * {
 *   "version": 1,
 *   "instanceArn": "arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaa1111aaaa1111a",
 *   "roleArn": "arn:aws:iam::111122223333:role/web-role",
 *   "stores": [ {
 *     "arn": "arn:aws:s3:::customer-data", "type": "s3", "region": "eu-west-1", "accountId": "111122223333",
 *     "via": "arn:aws:iam::111122223333:role/web-role", "classification": { "data-classification": "customer" },
 *     "fromInstance": { "readable": "yes", "actions": [ { "action": "s3:GetObject",
 *       "resource": "arn:aws:s3:::customer-data/*", "decision": "Allowed",
 *       "decidedBy": [ { "policy": "identity:inline:app", "statement": 0 } ] } ] },
 *     "fromInternet": { "readable": "no", "actions": [] },
 *     "afterIsolation": { "readable": "no", "actions": [] } } ],
 *   "chainedRoles": [ { "roleArn": "arn:aws:iam::111122223333:role/reports", "depth": 1,
 *     "from": "arn:aws:iam::111122223333:role/web-role",
 *     "assume": { "fromInstance": "Allowed", "fromInternet": "Allowed", "afterIsolation": "ExplicitDeny" } } ],
 *   "summary": { "stores": 1, "reachableBeforeIsolation": 1, "reachableFromInternet": 0,
 *     "reachableAfterIsolation": 0, "conditional": 0, "unknown": 0, "classifiedReachable": 1 },
 *   "alarms": [],
 *   "unknown": []
 * }
 */
export const ReachReport = z.object({
  version: z.literal(1),
  instanceArn: z.string(),
  roleArn: z.string(),
  stores: z.array(
    z.object({
      arn: z.string(),
      type: z.string(),
      region: z.string(),
      accountId: z.string(),
      /** The role whose session reads it: the instance's role, or a chained role. */
      via: z.string(),
      classification: z.record(z.string(), z.string()),
      unknown: z.optional(z.string()),
      fromInstance: ContextResult,
      fromInternet: ContextResult,
      afterIsolation: ContextResult,
    }),
  ),
  chainedRoles: z.array(
    z.object({
      roleArn: z.string(),
      depth: z.number(),
      from: z.string(),
      assume: z.object({ fromInstance: Decision, fromInternet: Decision, afterIsolation: Decision }),
    }),
  ),
  summary: z.object({
    stores: z.number(),
    reachableBeforeIsolation: z.number(),
    reachableFromInternet: z.number(),
    reachableAfterIsolation: z.number(),
    conditional: z.number(),
    unknown: z.number(),
    classifiedReachable: z.number(),
  }),
  /** Anything not denied after isolation: the proof of revocation failed for it. */
  alarms: z.array(z.string()),
  unknown: z.array(z.object({ what: z.string(), reason: z.string() })),
});
export type ReachReport = z.infer<typeof ReachReport>;
export type StoreReach = ReachReport['stores'][number];
export type ContextResult = z.infer<typeof ContextResult>;
export type ActionDecision = z.infer<typeof ActionDecision>;
