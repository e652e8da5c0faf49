import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { AccountId, Region } from '../../schemas/ids';

/**
 * The session EC2 creates for an instance profile role is named after the instance, so its principal id
 * is `<role unique id>:<instance id>` (role ids start with AROA).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export const InstancePrincipalId = z
  .string()
  .check(
    z.regex(
      /^AROA[A-Z0-9]{12,128}:i-[0-9a-f]{8}([0-9a-f]{9})?$/,
      'must be <role id>:<instance id> (AROA...:i-...)',
    ),
  );

const IsoTime = z
  .string()
  .check(
    z.refine(
      (s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)),
      'must be an ISO 8601 time',
    ),
  );

/**
 * What to investigate: one instance session over a window, on a trail laid out the standard way.
 *
 * @example
 * {
 *   "principalId": "AROAEXAMPLEROLEID1234:i-0abc1234def567890",
 *   "instanceAddresses": ["10.0.1.23", "203.0.113.10", "2001:db8::23"],
 *   "since": "2026-11-23T00:00:00Z",
 *   "until": "2026-11-30T06:00:00Z",
 *   "regions": ["eu-west-1", "us-east-1"]
 * }
 */
export const ActivityQuery = z.object({
  principalId: InstancePrincipalId,
  instanceAddresses: z._default(
    z.array(z.string().check(z.refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address'))),
    [],
  ),
  since: IsoTime,
  until: IsoTime,
  /** Only these regions (default: every region folder in the trail). */
  regions: z.optional(z.array(Region)),
  /** Only these accounts (default: every account folder, organisation trails included). */
  accounts: z.optional(z.array(AccountId)),
  /** Files read at once (gunzip runs on libuv's pool, JSON.parse on the main thread). */
  concurrency: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(64)), 8),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;
export type ActivityQueryInput = z.input<typeof ActivityQuery>;
