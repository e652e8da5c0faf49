import { z } from 'zod';
import { QuarantineState } from '../ledger/record';
import { AccountId, Cidr, IncidentId, InstanceId, Reason, Region } from '../schemas/ids';

export const QuarantineId = z.string().regex(/^q-[0-9a-f-]{36}$/, 'must be a quarantine id (q-...)');

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
  region: Region.optional(),
  /** Defaults to the API's own account; another account is reached through its MemberAccess role. */
  accountId: AccountId.optional(),
  reason: Reason,
  incidentId: IncidentId.optional(),
  dryRun: z.boolean().optional(),
  stopInstance: z.boolean().optional(),
  forensicCidrs: z.array(Cidr).max(10).optional(),
  /** Quarantine an instance carrying the exemption tag anyway; says why. */
  overrideExemption: z.strictObject({ reason: Reason }).optional(),
});
export type QuarantineBody = z.infer<typeof QuarantineBody>;

/**
 * `POST /quarantines/{id}/release`.
 * @example { "reason": "false positive: red-team exercise", "force": true }
 */
export const ReleaseBody = z.strictObject({
  reason: Reason,
  /** Release before the evidence is sealed. */
  force: z.boolean().optional(),
  /** Put the instance back into its Auto Scaling group and target groups. */
  reattach: z.boolean().optional(),
});
export type ReleaseBody = z.infer<typeof ReleaseBody>;

/** `GET /quarantines?instanceId=&state=&limit=&nextToken=` */
export const ListParams = z.strictObject({
  instanceId: InstanceId.optional(),
  state: QuarantineState.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a number from 1 to 100')
    .transform(Number)
    .pipe(
      z.number().int().min(1, 'must be a number from 1 to 100').max(100, 'must be a number from 1 to 100'),
    )
    .optional(),
  nextToken: z.string().max(1024).optional(),
});
export type ListParams = z.infer<typeof ListParams>;
