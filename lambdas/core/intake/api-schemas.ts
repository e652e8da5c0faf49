import * as z from 'zod/mini';
import { QuarantineState } from '../ledger/record';
import { AccountId, Cidr, IncidentId, InstanceId, Reason, Region } from '../schemas/ids';

/**
 * `POST /quarantines`. Strict: an unknown key (`dryrun`, `stop`) is refused by name rather than
 * silently ignored, because an ignored typo in a containment request does the wrong thing.
 *
 * @example
 * { "instanceId": "i-0abc1234def567890", "region": "eu-west-1", "accountId": "123456789012",
 *   "reason": "C2 beaconing seen by the SOC", "incidentId": "INC-2026-0142", "dryRun": false, "stopInstance": false }
 */
export const QuarantineBody = z.strictObject({
  instanceId: InstanceId,
  /** Defaults to the API's own region. */
  region: z.optional(Region),
  /** Defaults to the API's own account; another account is reached through its MemberAccess role. */
  accountId: z.optional(AccountId),
  reason: Reason,
  incidentId: z.optional(IncidentId),
  dryRun: z.optional(z.boolean()),
  stopInstance: z.optional(z.boolean()),
  forensicCidrs: z.optional(z.array(Cidr).check(z.maxLength(10))),
  /** Quarantine an instance carrying the exemption tag anyway; says why. */
  overrideExemption: z.optional(z.strictObject({ reason: Reason })),
});
export type QuarantineBody = z.infer<typeof QuarantineBody>;

/**
 * `POST /quarantines/{id}/release`.
 * @example { "reason": "false positive: red-team exercise", "force": true }
 */
export const ReleaseBody = z.strictObject({
  reason: Reason,
  /** Release before the evidence is sealed. */
  force: z.optional(z.boolean()),
  /** Put the instance back into its Auto Scaling group and target groups. */
  reattach: z.optional(z.boolean()),
});
export type ReleaseBody = z.infer<typeof ReleaseBody>;

/** `GET /quarantines?instanceId=&state=&limit=&nextToken=` */
export const ListParams = z.strictObject({
  instanceId: z.optional(InstanceId),
  state: z.optional(QuarantineState),
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,3}$/, 'must be a number from 1 to 100')), z.transform(Number)),
      z.int().check(z.gte(1, 'must be a number from 1 to 100'), z.lte(100, 'must be a number from 1 to 100')),
    ),
  ),
  nextToken: z.optional(z.string().check(z.maxLength(1024))),
});
export type ListParams = z.infer<typeof ListParams>;
