import type { BreachReport } from './document';
import type { Sources } from './sources';

/** Images with their composite SHA-256, context objects, retention and legal hold, from the manifest. */
export function evidenceSection(s: Sources): BreachReport['evidence'] {
  const m = s.manifest;
  if (m === undefined)
    return {
      status: 'unknown',
      sealedAt: null,
      retention: null,
      legalHold: null,
      images: [],
      context: [],
      evidence: [],
    };
  return {
    status: 'known',
    sealedAt: m.body.sealedAt,
    retention: m.body.retention,
    legalHold: m.body.legalHold,
    images: m.body.volumes.flatMap((v) =>
      v.images.map((i) => ({
        volumeId: v.volumeId,
        snapshotId: v.snapshotId,
        deviceName: v.deviceName,
        key: i.key,
        versionId: i.versionId,
        bytes: i.length,
        compositeSha256: i.compositeSha256,
        retainUntil: i.retention.until,
        legalHold: i.legalHold,
      })),
    ),
    context: m.body.context.map((c) => ({
      name: c.name,
      status: c.status,
      key: c.key ?? null,
      versionId: c.versionId ?? null,
      sha256: c.sha256 ?? null,
      detail: c.detail ?? null,
    })),
    evidence: [m.ref],
  };
}

const classificationText = (c: Record<string, string>) =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** Classified stores reachable before isolation, and the count after (which must be 0). */
export function reachSection(s: Sources): BreachReport['reach'] {
  const r = s.reach;
  if (r === undefined)
    return {
      status: 'unknown',
      reachableBefore: null,
      reachableFromInternet: null,
      reachableAfter: null,
      classified: [],
      alarms: [],
      evidence: [],
    };
  return {
    status: 'known',
    reachableBefore: r.body.summary.reachableBeforeIsolation,
    reachableFromInternet: r.body.summary.reachableFromInternet,
    reachableAfter: r.body.summary.reachableAfterIsolation,
    classified: r.body.stores
      .filter((x) => Object.keys(x.classification).length > 0 && x.fromInstance.readable !== 'no')
      .map((x) => ({
        arn: x.arn,
        type: x.type,
        classification: classificationText(x.classification),
        via: x.via,
        before: x.fromInstance.readable,
        after: x.afterIsolation.readable,
      })),
    alarms: r.body.alarms,
    evidence: [r.ref],
  };
}

/** Touched data (largest reads first), calls from outside, persistence and IMDSv1 deliveries. */
export function activitySection(s: Sources): BreachReport['activity'] {
  const a = s.activity;
  if (a === undefined)
    return {
      status: 'unknown',
      pass: null,
      window: null,
      touched: [],
      fromOutside: [],
      persistence: [],
      imdsV1Deliveries: null,
      evidence: [],
    };
  const b = a.body;
  return {
    status: 'known',
    pass: a.pass,
    window: b.window,
    touched: [...b.touched]
      .sort((x, y) => (y.bytesTransferredOut ?? -1) - (x.bytesTransferredOut ?? -1) || y.count - x.count)
      .map((t) => ({
        resource: t.resource,
        eventName: t.eventName,
        eventSource: t.eventSource,
        count: t.count,
        bytes: t.bytesTransferredOut,
      })),
    fromOutside: b.other.map((o) => ({
      eventTime: o.eventTime,
      eventName: o.eventName,
      sourceIPAddress: o.sourceIPAddress,
      userAgent: o.userAgent,
      errorCode: o.errorCode ?? null,
    })),
    persistence: b.persistence.map((p) => ({
      eventTime: p.eventTime,
      eventName: p.eventName,
      target: p.target,
      errorCode: p.errorCode ?? null,
    })),
    imdsV1Deliveries: b.ec2RoleDelivery['1.0'] ?? 0,
    evidence: [a.ref],
  };
}

const portRange = (r: { protocol: string; fromPort: number | null; toPort: number | null }) =>
  r.fromPort === null
    ? `${r.protocol} all ports`
    : r.fromPort === r.toPort
      ? `${r.protocol}/${r.fromPort}`
      : `${r.protocol}/${r.fromPort}-${r.toPort}`;
const list = (xs: string[]) => (xs.length === 0 ? 'none' : xs.join('; '));

/** The exposure at detection as label/value facts. */
export function exposureSection(s: Sources): BreachReport['exposure'] {
  const e = s.exposure;
  if (e === undefined) return { status: 'unknown', facts: [], evidence: [] };
  const b = e.body;
  const v = b.vulnerabilities;
  const g = b.findingHistory;
  const facts = [
    {
      label: 'Public addresses',
      value: list(b.publicAddresses.map((p) => `${p.address} (${p.kind}, ${p.eniId})`)),
    },
    {
      label: 'Ingress open to the internet',
      value: list(b.openIngress.map((r) => `${portRange(r)} from ${r.cidr} (${r.groupId})`)),
    },
    { label: 'Route to an internet gateway', value: b.internetRoute },
    {
      label: 'Instance metadata',
      value: `HttpTokens=${b.imds.httpTokens}, hop limit ${b.imds.hopLimit ?? 'unknown'}, endpoint ${b.imds.endpoint}`,
    },
    { label: 'Key pair', value: b.keyName ?? 'none' },
    {
      label: 'User data',
      value: `${b.userData.sha256 === null ? 'none or unreadable' : `SHA-256 ${b.userData.sha256}`}; ${b.userData.changes.length} change(s) in CloudTrail`,
    },
    {
      label: 'Vulnerabilities (Inspector)',
      value:
        v.status === 'unavailable'
          ? `unavailable: ${v.detail ?? 'no reason recorded'}`
          : list(
              v.findings.map(
                (f) =>
                  `${f.cve ?? f.title} ${f.severity}${f.exploitAvailable === true ? ', exploit available' : ''}${f.networkReachable === true ? ', network reachable' : ''}`,
              ),
            ),
    },
    {
      label: 'GuardDuty findings',
      value:
        g.status === 'unavailable'
          ? `unavailable: ${g.detail ?? 'no reason recorded'}`
          : list(
              g.findings.map(
                (f) => `${f.type} (${f.subject}, severity ${f.severity}, first seen ${f.firstSeen})`,
              ),
            ),
    },
    {
      label: 'Access to the instance',
      value: list(
        b.instanceAccess.map((x) => `${x.eventTime} ${x.eventName} by ${x.actor} from ${x.sourceIPAddress}`),
      ),
    },
  ];
  return { status: 'known', facts, evidence: [e.ref] };
}

/** Credentials found on the disk, never the secret itself: kind, place and the redacted preview. */
export function secretsSection(s: Sources): BreachReport['secrets'] {
  const x = s.secrets;
  if (x === undefined) return { status: 'unknown', findings: [], evidence: [] };
  return {
    status: 'known',
    findings: x.findings.map((f) => ({
      volumeId: f.volumeId,
      offset: f.offset,
      kind: f.kind,
      preview: f.preview,
      owner:
        f.resolved === undefined
          ? 'not resolved'
          : f.resolved.status === 'resolved'
            ? `${f.resolved.user ?? '?'} in ${f.resolved.account ?? '?'}`
            : `unknown${f.resolved.detail === undefined ? '' : `: ${f.resolved.detail}`}`,
    })),
    evidence: x.refs,
  };
}
