import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fromZodIssues } from '../errors';
import { AccountId, Cidr, IncidentId, InstanceId, Reason, Region } from './ids';

/** Who or what asked for the quarantine. Automatic triggers are bound by the exemption tag. */
export const Trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api'), principalArn: z.string().min(1).max(2048) }),
  z.object({
    kind: z.literal('guardduty'),
    findingId: z.string().regex(/^[A-Za-z0-9]{1,128}$/, 'must be a GuardDuty finding id'),
    findingType: z.string().max(256).optional(),
  }),
  z.object({ kind: z.literal('cli'), principalArn: z.string().min(1).max(2048) }),
]);
export type Trigger = z.infer<typeof Trigger>;

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
  instance: z.object({ instanceId: InstanceId, region: Region, accountId: AccountId.optional() }),
  reason: Reason,
  incidentId: IncidentId.default(
    () => `INC-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`,
  ),
  trigger: Trigger,
  options: z
    .object({
      dryRun: z.boolean().default(false),
      /** Off by default: memory is evidence, and stopping destroys it. */
      stopInstance: z.boolean().default(false),
      /** Sources allowed to reach the instance over SSH for live forensics. None by default. */
      forensicCidrs: z.array(Cidr).max(10).default([]),
      /** Deny the instance's addresses in the VPC's network ACLs (flows a security group cannot cut). */
      naclDeny: z.boolean().default(true),
      /** An on-call override of the exemption tag; only honoured for human triggers. */
      overrideExemption: z.object({ reason: Reason }).optional(),
    })
    .prefault({}),
});
export type QuarantineRequest = z.infer<typeof QuarantineRequest>;
export type QuarantineRequestInput = z.input<typeof QuarantineRequest>;

/** Parses a request at the boundary; throws InvalidInputError naming the first bad field. */
export function parseQuarantineRequest(input: unknown): QuarantineRequest {
  const result = QuarantineRequest.safeParse(input);
  if (!result.success) throw fromZodIssues(result.error.issues);
  return result.data;
}
