import type { S3Client } from '@aws-sdk/client-s3';
import { reasonOf } from '../../errors';
import type { EvidenceConfig } from '../../evidence/config';
import type { QuarantineRecord } from '../../ledger/record';
import type { ActivityResult } from '../activity/collect';
import type { NatGateways } from '../nat-gateways';
import type { SealedObject } from '../outcome';
import { investigationPrefix, writeSealedObject } from '../vault-write';
import { collectFlowVolume, type FlowClients } from './collect-flow-volume';
import { egressCheck } from './egress-check';
import { flowTarget } from './flow-target';
import { unknownVolume } from './flow-volume';
import type { FlowsReport } from './flows-report';

/** Where the interval starts and ends, and why there. */
export interface FlowInterval {
  readonly since: string;
  readonly until: string;
  readonly sinceBasis: string;
  readonly untilBasis: string;
}

const earliest = (times: ReadonlyArray<string>, before: number): string | undefined =>
  times.filter((t) => Date.parse(t) <= before).sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/**
 * Issue 13's interval, "from the first suspicious event to the network cut": the first call of the
 * session from another network (origin `other`), else its first call, else the activity window's start
 * (the launch or 7 days before the finding: when it began is unknown). Calls after the cut cannot start
 * it (nothing left the instance's network after it). The end is the cut as isolation recorded it.
 */
export function flowWindow(
  r: QuarantineRecord,
  activity: ActivityResult | undefined,
  windowStart: string,
  now: Date,
): FlowInterval {
  const cut = r.networkCutAt;
  const until = cut ?? now.toISOString();
  const untilBasis = cut === undefined ? 'now (no network cut recorded)' : 'network cut';
  const end = Date.parse(until);
  const other = earliest(
    (activity?.report.other ?? []).map((o) => o.eventTime),
    end,
  );
  if (other !== undefined)
    return { since: other, until, untilBasis, sinceBasis: 'first call of the session from another network' };
  const first = earliest(
    (activity?.records ?? []).map((x) => x.eventTime),
    end,
  );
  if (first !== undefined)
    return { since: first, until, untilBasis, sinceBasis: 'first call of the session' };
  return {
    since: Date.parse(windowStart) <= end ? windowStart : until,
    until,
    untilBasis,
    sinceBasis: 'start of the activity window (no call of the session seen before the cut)',
  };
}

/** Why a flow log bucket was not read, when the stack does not grant it: the fix is in the config. */
function hint(
  s: { readonly status: string; readonly destination: string; readonly reason?: string },
  granted: ReadonlyArray<string> | undefined,
): { reason?: string } {
  const bucket = /^s3:\/\/([^/]+)/.exec(s.destination)?.[1];
  if (s.status !== 'unknown' || bucket === undefined || granted === undefined || granted.includes(bucket))
    return {};
  return { reason: `${s.reason ?? 'not read'} (bucket ${bucket} is not in the stack's flowLogBuckets)` };
}

export interface FlowStepResult {
  readonly object?: SealedObject;
  /** Small figures for the activity outcome's summary (the notification and the demo read them). */
  readonly summary: Readonly<Record<string, string | number | boolean | null>>;
  readonly detail?: string;
}

/**
 * The flow part of one activity pass: the bytes that left the instance in the window, from the flow
 * logs of its ENIs, subnets and VPC, compared with the S3 bytes its session read, sealed as
 * `flows-<pass>.json` beside `activity-<pass>.json`. Never throws: a record without a network, a denied
 * or missing flow log, a failed write all end as `unknown` with the reason (investigation never blocks
 * containment).
 */
export async function runFlowStep(
  c: { readonly flows: FlowClients; readonly vault: S3Client },
  cfg: Pick<EvidenceConfig, 'vaultBucket' | 'prefix' | 'retentionDays' | 'legalHold'> & {
    /** The flow log buckets the stack grants (config flowLogBuckets): an unread other one is named so. */
    readonly flowLogBuckets?: ReadonlyArray<string>;
  },
  r: QuarantineRecord,
  pass: 'initial' | 'late',
  activity: ActivityResult | undefined,
  window: FlowInterval,
  /** The pass's NAT gateway reader (nat-gateways.ts), shared with the activity target. */
  natGateways?: (vpcId: string) => Promise<NatGateways>,
): Promise<FlowStepResult> {
  const unknown = (detail: string): FlowStepResult => ({
    summary: { flowStatus: 'unknown', flowBytesOut: 'unknown' },
    detail: `flows: ${detail}`.slice(0, 500),
  });
  try {
    const found = await flowTarget(c.flows.ec2, r, natGateways);
    if ('unavailable' in found) return unknown(found.unavailable);
    const { target, gaps } = found;
    const collected =
      target.instanceAddresses.length === 0
        ? { volume: unknownVolume('no private address of the instance was recorded'), sources: [] }
        : await collectFlowVolume(c.flows, target, {
            since: new Date(window.since),
            until: new Date(window.until),
          });
    const volume = collected.volume;
    const egress = egressCheck(activity?.report, volume);
    const report: FlowsReport = {
      window,
      target: {
        accountId: target.accountId,
        region: target.region,
        vpcId: target.vpcId,
        subnetIds: [...target.subnetIds],
        eniIds: [...target.eniIds],
        ...(target.natEniIds === undefined ? {} : { natEniIds: [...target.natEniIds] }),
        instanceAddresses: [...target.instanceAddresses],
        vpcCidrs: [...target.vpcCidrs],
      },
      gaps,
      sources: collected.sources.map((s) => ({ ...s, ...hint(s, cfg.flowLogBuckets) })),
      volume: { ...volume, bytesOut: { ...volume.bytesOut }, topDestinations: [...volume.topDestinations] },
      egress,
    };
    const object = await writeSealedObject(c.vault, cfg, {
      name: `flows-${pass}.json`,
      key: `${investigationPrefix(cfg, r)}flows-${pass}.json`,
      body: Buffer.from(JSON.stringify(report, null, 2)),
      contentType: 'application/json',
    });
    const why = [volume.reason, ...gaps].filter((x): x is string => x !== undefined);
    return {
      object,
      summary: {
        flowStatus: volume.status,
        flowBytesOut: volume.bytesOut.outsideVpc,
        flowBytesToInternet: volume.bytesOut.internet,
        egressCheck: egress.comparison,
      },
      ...(why.length === 0 ? {} : { detail: `flows: ${why.join('; ')}`.slice(0, 500) }),
    };
  } catch (err) {
    return unknown(reasonOf(err));
  }
}
