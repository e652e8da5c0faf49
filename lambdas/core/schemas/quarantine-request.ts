import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { parseOrThrow } from '../errors';
import { AccountId, Cidr, IncidentId, InstanceId, Reason, Region } from './ids';
import { Trigger } from './trigger';

/**
 * A request to quarantine one EC2 instance, as every trigger hands it to the isolation engine.
 *
 * @example
 * {
 *   "instance": { "instanceId": "i-0abc1234def567890", "region": "eu-west-1", "accountId": "123456789012" },
 *   "reason": "GuardDuty Backdoor:EC2/C&CActivity.B on web-1",
 *   "incidentId": "INC-2026-0142",
 *   "trigger": { "kind": "guardduty", "findingId": "60c5e2b4f7a8d9c0b1a2e3f4d5c6b7a8" },
 *   "options": { "dryRun": false, "stopInstance": false, "forensicCidrs": ["10.9.0.0/24"] }
 * }
 */
export const QuarantineRequest = z.object({
  instance: z.object({ instanceId: InstanceId, region: Region, accountId: z.optional(AccountId) }),
  reason: Reason,
  incidentId: z._default(
    IncidentId,
    () => `INC-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`,
  ),
  trigger: Trigger,
  options: z.prefault(
    z.object({
      dryRun: z._default(z.boolean(), false),
      /** Off by default: memory is evidence, and stopping destroys it. */
      stopInstance: z._default(z.boolean(), false),
      /**
       * Sources allowed to reach the instance over SSH for live forensics. None by default. Setting any
       * skips the network ACL deny entries, which would drop that SSH (nacl-deny.ts).
       */
      forensicCidrs: z._default(z.array(Cidr).check(z.maxLength(10)), []),
      /** Deny the instance's addresses in the VPC's network ACLs (flows a security group cannot cut); not with forensicCidrs. */
      naclDeny: z._default(z.boolean(), true),
      /** An on-call override of the exemption tag; only honoured for human triggers. */
      overrideExemption: z.optional(z.object({ reason: Reason })),
    }),
    {},
  ),
});
export type QuarantineRequest = z.infer<typeof QuarantineRequest>;
export type QuarantineRequestInput = z.input<typeof QuarantineRequest>;

/** Parses a request at the boundary; throws InvalidInputError naming the first bad field. */
export function parseQuarantineRequest(input: unknown): QuarantineRequest {
  return parseOrThrow(QuarantineRequest, input);
}
