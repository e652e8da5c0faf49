import type { ActivityReport } from '../investigation/activity/report';
import { egressCheck, s3BytesRead } from '../investigation/flow-logs/egress-check';
import type { FlowVolume } from '../investigation/flow-logs/flow-volume';
import type { BreachReport, EvidenceRef } from './document';

export interface ExfiltrationInputs {
  readonly activity?: { readonly body: ActivityReport; readonly ref: EvidenceRef };
  readonly flow?: { readonly body: FlowVolume; readonly refs: EvidenceRef[] };
}

const known = (b: number | 'unknown' | undefined): number | null => (typeof b === 'number' ? b : null);

export const formatBytes = (n: number): string => {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]} (${n} bytes)`;
};

/**
 * Two independent estimates of what left: S3 reads from CloudTrail, bytes out from VPC flow logs. Each
 * may be unknown; when both are known and disagree beyond the tolerance, that is flagged rather than
 * one picked (data staged or sent another way, or data from somewhere other than S3).
 */
export function exfiltrationEstimate(i: ExfiltrationInputs): BreachReport['exfiltration'] {
  const flow = i.flow?.body;
  // The flag the activity step seals (flows-<pass>.json), computed the same way here.
  const check = flow === undefined ? undefined : egressCheck(i.activity?.body, flow);
  const read = check === undefined ? s3BytesRead(i.activity?.body) : check.s3BytesRead;
  const outside = known(flow?.bytesOut.outsideVpc);
  const internet = known(flow?.bytesOut.internet);
  const comparison = check?.comparison ?? 'unknown';
  const disagreement = check?.mismatch ?? false;
  const readText =
    read === null ? 'S3 bytes read are unknown' : `the session read ${formatBytes(read)} from S3`;
  const lowerBound =
    flow !== undefined && !flow.complete ? ' (a lower bound: flow log records were skipped)' : '';
  const outText =
    outside === null
      ? 'bytes that left the VPC are unknown'
      : `${formatBytes(outside)} left the VPC${lowerBound}`;
  const verdict: Record<typeof comparison, string> = {
    'read-exceeds-egress':
      'More was read than left the VPC: data may have been staged, or sent out another way.',
    'egress-exceeds-read':
      'More left the VPC than was read from S3: data from elsewhere (the disk, other services) may have left.',
    comparable: 'The two estimates agree within 10%.',
    unknown: 'The two estimates cannot be compared.',
  };
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    s3BytesRead: read,
    bytesOutsideVpc: outside,
    bytesToInternet: internet,
    comparison,
    disagreement,
    statement: `${cap(readText)}; ${outText}. ${verdict[comparison]}`,
    evidence: [...(i.activity === undefined ? [] : [i.activity.ref]), ...(i.flow?.refs ?? [])],
  };
}
