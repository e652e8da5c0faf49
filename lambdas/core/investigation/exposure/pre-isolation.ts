import type { QuarantineRecord } from '../../ledger/record';

/** One interface as isolation recorded it before the cut (isolation/target-instance.ts EniState). */
export interface RecordedEni {
  readonly eniId: string;
  readonly subnetId: string;
  readonly groupIds: ReadonlyArray<string>;
  readonly ipv6: ReadonlyArray<string>;
}

/** What the exposure step takes from the record: the instance as it was before anything was changed. */
export interface PreIsolation {
  readonly vpcId?: string;
  /** Undefined when isolation recorded no network state (a record from before it did, or a failed describe). */
  readonly enis?: ReadonlyArray<RecordedEni>;
  readonly launchTime?: string;
  readonly instanceProfileArn?: string;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads `preState.network` ({vpcId, enis}) and `preState.instance` (isolate.ts instanceFacts). After the
 * cut the interfaces carry the quarantine groups, so the original groups exist only here. Read without
 * trusting the shape: a record written by an older version lacks fields, which become unknowns.
 */
export function preIsolationOf(r: QuarantineRecord): PreIsolation {
  const network = (r.preState.network ?? {}) as Record<string, unknown>;
  const instance = (r.preState.instance ?? {}) as Record<string, unknown>;
  const enis = Array.isArray(network.enis)
    ? network.enis.map((e: Record<string, unknown>) => ({
        eniId: str(e.eniId) ?? '',
        subnetId: str(e.subnetId) ?? '',
        groupIds: strings(e.groupIds),
        ipv6: strings(e.ipv6),
      }))
    : undefined;
  const vpcId = str(network.vpcId) ?? str(instance.vpcId);
  const launchTime = str(instance.launchTime);
  const instanceProfileArn = str(instance.instanceProfileArn);
  return {
    ...(vpcId === undefined ? {} : { vpcId }),
    ...(enis === undefined ? {} : { enis }),
    ...(launchTime === undefined ? {} : { launchTime }),
    ...(instanceProfileArn === undefined ? {} : { instanceProfileArn }),
  };
}
