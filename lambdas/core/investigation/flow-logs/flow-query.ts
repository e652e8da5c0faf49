import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { Cidr } from '../../schemas/ids';

const Address = z.string().check(z.refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address'));
const EpochSeconds = z.number().check(z.int(), z.minimum(0));

/**
 * What the flow analysis needs, all recorded at quarantine time: the instance's private addresses, the
 * networks to classify destinations against, and the interval from the first suspicious event to the
 * network cut, in epoch seconds (the unit of flow log `start`/`end`).
 *
 * @example
 * {
 *   "instanceAddresses": ["10.0.1.5", "2001:db8:1::5"],
 *   "vpcCidrs": ["10.0.0.0/16", "2001:db8:1::/56"],
 *   "peeredCidrs": ["10.1.0.0/16"],
 *   "awsCidrs": ["52.95.128.0/21"],
 *   "since": 1764460800,
 *   "until": 1764464400
 * }
 */
export const FlowQuery = z
  .object({
    instanceAddresses: z.array(Address).check(z.minLength(1, 'needs at least one address')),
    vpcCidrs: z.array(Cidr),
    peeredCidrs: z._default(z.array(Cidr), []),
    awsCidrs: z._default(z.array(Cidr), []),
    since: EpochSeconds,
    until: EpochSeconds,
  })
  .check(z.refine((q) => q.until >= q.since, { message: 'must not be before since', path: ['until'] }));
export type FlowQuery = z.infer<typeof FlowQuery>;
