import type { DerivedSession } from './lineage';
import { addressSet, originOf } from './origin';
import { persistenceOf } from './persistence';
import { CloudTrailRecord } from './record';
import type { ActivityReport } from './report';
import { touchesOf } from './touched';

type Findings = Omit<ActivityReport, 'principalId' | 'window' | 'coverage'>;

/** The attributed records, checked against the record schema and without duplicates, oldest first. */
export function attributedRecords(raw: ReadonlyArray<unknown>): {
  records: CloudTrailRecord[];
  malformed: number;
} {
  const seen = new Set<string>();
  const records: CloudTrailRecord[] = [];
  let malformed = 0;
  for (const r of raw) {
    const p = CloudTrailRecord.safeParse(r);
    if (!p.success) {
      malformed += 1;
      continue;
    }
    // An organisation trail and an account trail writing to the same bucket deliver the same event twice.
    const id = p.data.eventID;
    if (id !== undefined) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    records.push(p.data);
  }
  records.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return { records, malformed };
}

/**
 * Everything the report says about the calls: counts (denied calls included: an attempt is activity),
 * origins, the calls from elsewhere, touched data, persistence, IMDS version and user agents.
 */
export function analyzeRecords(
  records: ReadonlyArray<CloudTrailRecord>,
  principalId: string,
  derived: ReadonlyArray<DerivedSession>,
  instanceAddresses: ReadonlyArray<string>,
): Findings {
  const addresses = addressSet(instanceAddresses);
  const origins = { instance: 0, 'aws-service': 0, other: 0 };
  const other: Findings['other'] = [];
  const touched = new Map<string, Findings['touched'][number]>();
  const persistence: Findings['persistence'] = [];
  const delivery: Record<string, number> = {};
  const agents = new Map<string, number>();
  const perKey = new Map<string, number>();
  let direct = 0;
  let denied = 0;
  for (const r of records) {
    const isDirect = r.userIdentity.principalId === principalId;
    if (isDirect) {
      direct += 1;
      const d = r.userIdentity.sessionContext?.ec2RoleDelivery;
      if (d !== undefined) delivery[d] = (delivery[d] ?? 0) + 1;
    } else {
      const k = r.userIdentity.accessKeyId ?? '';
      perKey.set(k, (perKey.get(k) ?? 0) + 1);
    }
    if (r.errorCode !== undefined) denied += 1;
    const origin = originOf(r, addresses);
    origins[origin] += 1;
    if (origin === 'other') {
      other.push({
        eventTime: r.eventTime,
        eventName: r.eventName,
        eventSource: r.eventSource,
        sourceIPAddress: r.sourceIPAddress ?? '',
        accessKeyId: r.userIdentity.accessKeyId ?? null,
        userAgent: r.userAgent ?? null,
        ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
      });
    }
    const agent = r.userAgent ?? '(none)';
    agents.set(agent, (agents.get(agent) ?? 0) + 1);
    for (const t of touchesOf(r)) {
      const id = `${t.eventSource}\u0000${t.eventName}\u0000${t.resource}`;
      const g = touched.get(id) ?? { ...t, count: 0, bytesTransferredOut: null };
      g.count += 1;
      if (t.bytesTransferredOut !== undefined)
        g.bytesTransferredOut = (g.bytesTransferredOut ?? 0) + t.bytesTransferredOut;
      touched.set(id, g);
    }
    const p = persistenceOf(r);
    if (p !== undefined) persistence.push(p);
  }
  return {
    events: records.length,
    directEvents: direct,
    deniedEvents: denied,
    derivedSessions: derived.map((s) => ({
      arn: s.arn ?? null,
      accessKeyId: s.accessKeyId,
      via: s.via,
      eventTime: s.eventTime,
      depth: s.depth,
      callerAccessKeyId: s.callerAccessKeyId ?? null,
      events: perKey.get(s.accessKeyId) ?? 0,
    })),
    origins,
    other,
    touched: [...touched.values()].sort(
      (a, b) => (b.bytesTransferredOut ?? 0) - (a.bytesTransferredOut ?? 0) || b.count - a.count,
    ),
    persistence,
    ec2RoleDelivery: delivery,
    userAgents: [...agents.entries()]
      .map(([userAgent, count]) => ({ userAgent, count }))
      .sort((a, b) => b.count - a.count),
  };
}
