import * as z from 'zod/mini';
import type { FlowVolume } from './flow-volume';

const Bytes = z.union([z.number(), z.literal('unknown')]);
const DestinationClass = z.enum(['internet', 'aws-service', 'vpc', 'peered-transit']);

/** The zod shape of flow-volume.ts's `FlowVolume` (checked below to stay in step with it). */
export const FlowVolumeBody = z.object({
  status: z.enum(['known', 'unknown']),
  reason: z.optional(z.string()),
  bytesOut: z.object({
    internet: Bytes,
    'aws-service': Bytes,
    vpc: Bytes,
    'peered-transit': Bytes,
    outsideVpc: Bytes,
  }),
  basis: z.optional(z.enum(['instance-interface', 'nat-gateway'])),
  natGatewayBytes: Bytes,
  complete: z.boolean(),
  records: z.number(),
  topDestinations: z.array(z.object({ address: z.string(), class: DestinationClass, bytes: z.number() })),
});
// Compile-time: every FlowVolume the flow-log code computes fits the schema.
const _flowVolumeFits = (v: FlowVolume): z.input<typeof FlowVolumeBody> => ({
  ...v,
  bytesOut: { ...v.bytesOut },
  topDestinations: [...v.topDestinations],
});
void _flowVolumeFits;

/** S3 bytes the session read (CloudTrail) against the bytes that left the instance (flows). */
export const EgressCheck = z.object({
  /** Sum of `bytesTransferredOut` of the session's S3 reads; null: unknown (no data events, no sizes). */
  s3BytesRead: z.nullable(z.number()),
  bytesOutsideVpc: Bytes,
  bytesToInternet: Bytes,
  bytesToAwsServices: Bytes,
  comparison: z.enum(['read-exceeds-egress', 'egress-exceeds-read', 'comparable', 'unknown']),
  /** True when both sides are known and differ beyond the tolerance: the flag the report raises. */
  mismatch: z.boolean(),
});
export type EgressCheck = z.infer<typeof EgressCheck>;

/**
 * What one activity pass learned from the VPC flow logs, sealed as `flows-<pass>.json`: the interval
 * (from the first suspicious event to the network cut, with why each end is where it is), the network
 * the records were matched against, each flow log read or not (and why), the bytes out by destination
 * class, and the comparison with the S3 bytes the session read.
 *
 * @example
 * {
 *   "window": { "since": "2026-11-29T21:00:00.000Z", "until": "2026-11-29T22:41:40.000Z",
 *     "sinceBasis": "first call from another network (GetObject)", "untilBasis": "network cut" },
 *   "target": { "accountId": "123456789012", "region": "eu-west-1", "vpcId": "vpc-0a1b", "subnetIds": ["subnet-0a"],
 *     "eniIds": ["eni-0a"], "natEniIds": [], "instanceAddresses": ["10.0.1.5"], "vpcCidrs": ["10.0.0.0/16"] },
 *   "gaps": [],
 *   "sources": [{ "flowLogId": "fl-0a", "resourceId": "vpc-0a1b", "destination": "cloud-watch-logs:vpc-flows",
 *     "status": "read", "records": 42, "malformed": 0 }],
 *   "volume": { "status": "known", "bytesOut": { "internet": 5000, "aws-service": 0, "vpc": 0,
 *     "peered-transit": 0, "outsideVpc": 5000 }, "basis": "instance-interface", "natGatewayBytes": "unknown",
 *     "complete": true, "records": 1, "topDestinations": [{ "address": "198.51.100.7", "class": "internet", "bytes": 5000 }] },
 *   "egress": { "s3BytesRead": 2048, "bytesOutsideVpc": 5000, "bytesToInternet": 5000, "bytesToAwsServices": 0,
 *     "comparison": "egress-exceeds-read", "mismatch": true }
 * }
 */
export const FlowsReport = z.object({
  window: z.object({
    since: z.string(),
    until: z.string(),
    sinceBasis: z.string(),
    untilBasis: z.string(),
  }),
  target: z.object({
    accountId: z.string(),
    region: z.string(),
    vpcId: z.string(),
    subnetIds: z.array(z.string()),
    eniIds: z.array(z.string()),
    /** Absent: the VPC's NAT gateways could not be read, so NAT-attributed traffic is unknown. */
    natEniIds: z.optional(z.array(z.string())),
    instanceAddresses: z.array(z.string()),
    vpcCidrs: z.array(z.string()),
  }),
  /** What the figures cannot see (unreadable VPC ranges, NAT gateways...), each with its reason. */
  gaps: z.array(z.string()),
  sources: z.array(
    z.object({
      flowLogId: z.string(),
      resourceId: z.string(),
      destination: z.string(),
      status: z.enum(['read', 'unknown', 'skipped']),
      records: z.optional(z.number()),
      malformed: z.optional(z.number()),
      reason: z.optional(z.string()),
    }),
  ),
  volume: FlowVolumeBody,
  egress: EgressCheck,
});
export type FlowsReport = z.infer<typeof FlowsReport>;
