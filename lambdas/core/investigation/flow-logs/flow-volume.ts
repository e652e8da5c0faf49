import { normalizeAddress } from '../activity/origin';
import { classifier, type DestinationClass } from './address-class';
import type { FlowQuery } from './flow-query';
import type { FlowRecord } from './flow-record';

const CLASSES: ReadonlyArray<DestinationClass> = ['internet', 'aws-service', 'vpc', 'peered-transit'];
const REQUIRED = ['srcaddr', 'dstaddr', 'bytes', 'start', 'end'] as const;

/** Bytes per destination class, or "unknown" when the logs cannot say: never a zero that means nothing. */
export type Bytes = number | 'unknown';

export interface FlowVolume {
  readonly status: 'known' | 'unknown';
  readonly reason?: string;
  /** Bytes that left the instance by destination class; `outsideVpc` is all but `vpc`. */
  readonly bytesOut: Readonly<Record<DestinationClass, Bytes>> & { readonly outsideVpc: Bytes };
  /** Which records the figures come from: the instance's own interface, or the NAT gateway's. */
  readonly basis?: 'instance-interface' | 'nat-gateway';
  /** The instance's bytes seen on a NAT gateway's interface (its pkt-dstaddr is beyond the gateway). */
  readonly natGatewayBytes: Bytes;
  /** False when a SKIPDATA record says records were lost: the figures are then a lower bound. */
  readonly complete: boolean;
  readonly records: number;
  readonly topDestinations: ReadonlyArray<{ address: string; class: DestinationClass; bytes: number }>;
}

/** A volume the logs cannot give: every figure unknown, with the reason. */
export const unknownVolume = (reason: string, records = 0): FlowVolume => ({
  status: 'unknown',
  reason,
  bytesOut: {
    internet: 'unknown',
    'aws-service': 'unknown',
    vpc: 'unknown',
    'peered-transit': 'unknown',
    outsideVpc: 'unknown',
  },
  natGatewayBytes: 'unknown',
  complete: false,
  records,
  topDestinations: [],
});

/**
 * Sums the bytes leaving the instance between two times. A record counts when its capture window
 * overlaps the interval (a window cannot be split, so the whole record counts), and when its original
 * source (`pkt-srcaddr`, else `srcaddr`) is the instance. Its destination is the original one
 * (`pkt-dstaddr`, else `dstaddr`). A record whose `dstaddr` differs from `pkt-dstaddr` was captured on
 * an intermediate interface: a NAT gateway's, where the instance's traffic arrives addressed to the
 * gateway and bound for the internet. Those bytes are the NAT figure; they are the main figure only
 * when the instance's own interface has no records (flow logs on the NAT subnet alone), so the same
 * bytes are never counted twice.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
 */
export function flowVolume(
  fields: ReadonlyArray<string>,
  records: ReadonlyArray<FlowRecord>,
  q: FlowQuery,
): FlowVolume {
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) return unknownVolume(`the flow log format lacks ${missing.join(', ')}`);
  const mine = new Set(q.instanceAddresses.map(normalizeAddress));
  const classOf = classifier(q);
  const direct = tally();
  const viaNat = tally();
  let complete = true;
  for (const r of records) {
    const start = Number(r.get('start'));
    const end = Number(r.get('end'));
    if (!(end >= q.since && start <= q.until)) continue;
    if (r.get('log-status') === 'SKIPDATA') complete = false;
    const bytes = Number(r.get('bytes'));
    const src = r.get('srcaddr');
    const dst = r.get('dstaddr');
    if (src === undefined || dst === undefined || !Number.isFinite(bytes)) continue;
    const origSrc = r.get('pkt-srcaddr') ?? src;
    if (!mine.has(normalizeAddress(origSrc)) && !mine.has(normalizeAddress(src))) continue;
    const finalDst = r.get('pkt-dstaddr') ?? dst;
    const t = finalDst !== dst ? viaNat : direct;
    t.add(finalDst, classOf(finalDst, r.get('pkt-dst-aws-service')), bytes);
  }
  const main = direct.records > 0 ? direct : viaNat;
  if (main.records === 0)
    return unknownVolume('no flow log record of the instance in the interval', records.length);
  const outsideVpc = CLASSES.filter((c) => c !== 'vpc').reduce((s, c) => s + main.out[c], 0);
  return {
    status: 'known',
    basis: main === direct ? 'instance-interface' : 'nat-gateway',
    bytesOut: { ...main.out, outsideVpc },
    natGatewayBytes: fields.includes('pkt-dstaddr') ? viaNat.total() : 'unknown',
    complete,
    records: direct.records + viaNat.records,
    topDestinations: main.top(),
  };
}

function tally() {
  const out: Record<DestinationClass, number> = {
    internet: 0,
    'aws-service': 0,
    vpc: 0,
    'peered-transit': 0,
  };
  const byDst = new Map<string, { address: string; class: DestinationClass; bytes: number }>();
  return {
    out,
    records: 0,
    add(address: string, cls: DestinationClass, bytes: number) {
      this.records += 1;
      out[cls] += bytes;
      const d = byDst.get(address) ?? { address, class: cls, bytes: 0 };
      d.bytes += bytes;
      byDst.set(address, d);
    },
    total: () => CLASSES.reduce((s, c) => s + out[c], 0),
    top: () => [...byDst.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 10),
  };
}

/**
 * Compares the S3 bytes the session read (CloudTrail data events) with the bytes that left the VPC
 * (flows): more read than left suggests data staged or sent another way; more left than read, data from
 * elsewhere. `tolerance` absorbs protocol overhead (TLS, headers) on the flow side.
 */
export function compareVolumes(
  s3BytesRead: number | null,
  flow: FlowVolume,
  tolerance = 0.1,
): 'read-exceeds-egress' | 'egress-exceeds-read' | 'comparable' | 'unknown' {
  const left = flow.bytesOut.outsideVpc;
  if (s3BytesRead === null || left === 'unknown') return 'unknown';
  if (s3BytesRead > left * (1 + tolerance)) return 'read-exceeds-egress';
  if (left > s3BytesRead * (1 + tolerance)) return 'egress-exceeds-read';
  return 'comparable';
}
