import type { BreachReport, EvidenceRef } from './document';
import type { Sources } from './sources';

type Entry = BreachReport['timeline'][number];

const earliest = (xs: ReadonlyArray<{ at: string; what: string; ref: EvidenceRef }>) =>
  [...xs]
    .filter((x) => Number.isFinite(Date.parse(x.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];

/** The earliest event that points at the attacker: a call from outside, a persistence action, a finding. */
function firstSuspicious(s: Sources): Entry {
  const a = s.activity;
  const e = s.exposure;
  const candidates: Array<{ at: string; what: string; ref: EvidenceRef }> = [];
  if (a !== undefined) {
    for (const o of a.body.other)
      candidates.push({
        at: o.eventTime,
        what: `${o.eventName} called from ${o.sourceIPAddress}`,
        ref: a.ref,
      });
    for (const p of a.body.persistence)
      candidates.push({ at: p.eventTime, what: `${p.eventName} on ${p.target}`, ref: a.ref });
  }
  for (const f of e?.body.findingHistory.findings ?? [])
    if (e !== undefined)
      candidates.push({ at: f.firstSeen, what: `GuardDuty ${f.type} first seen`, ref: e.ref });
  const first = earliest(candidates);
  const label = 'First suspicious event';
  if (first === undefined)
    return {
      kind: 'first-suspicious-event',
      at: null,
      label,
      detail: 'Unknown: no activity or finding history shows one.',
      evidence: [],
    };
  return { kind: 'first-suspicious-event', at: first.at, label, detail: first.what, evidence: [first.ref] };
}

/** First suspicious event, detection (awareness), network cut, isolation verified, evidence sealed, report issued. */
export function buildTimeline(s: Sources, generatedAt: string): Entry[] {
  const r = s.record;
  const v = r.verification;
  const sealedAt =
    s.manifest?.body.sealedAt ?? (typeof r.evidence?.sealedAt === 'string' ? r.evidence.sealedAt : null);
  return [
    firstSuspicious(s),
    {
      kind: 'detection',
      at: s.awarenessAt,
      label: 'Detection (awareness)',
      detail: `Awareness: ${s.awarenessBasis}.`,
      evidence: [s.ledger],
    },
    {
      kind: 'network-cut',
      at: r.networkCutAt ?? null,
      label: 'Network cut',
      detail:
        r.networkCutAt === undefined
          ? 'Not recorded: the network may not have been cut.'
          : 'Quarantine security groups and NACL deny applied.',
      evidence: [s.ledger],
    },
    {
      kind: 'isolation-verified',
      at: v?.verified === true ? (r.isolatedAt ?? null) : null,
      label: 'Isolation verified',
      detail:
        v === undefined
          ? 'Not verified yet.'
          : v.verified
            ? 'Verified: no path in or out, credentials denied.'
            : `Not verified: ${v.mismatches.join('; ')}`,
      evidence: [s.ledger],
    },
    {
      kind: 'evidence-sealed',
      at: sealedAt,
      label: 'Evidence sealed',
      detail:
        sealedAt === null
          ? 'Not sealed (or the manifest is not available).'
          : 'Manifest sealed under COMPLIANCE retention.',
      evidence: s.manifest === undefined ? [s.ledger] : [s.manifest.ref],
    },
    { kind: 'report-issued', at: generatedAt, label: 'Report issued', detail: 'This report.', evidence: [] },
  ];
}

/** Every action of the ledger's timeline; those the manifest sealed in its chain of custody cite it too. */
export function buildContainment(s: Sources): BreachReport['containment'] {
  const sealed = new Set((s.manifest?.body.chainOfCustody ?? []).map((a) => `${a.at}\u0000${a.step}`));
  return s.record.actions.map((a) => ({
    at: a.at,
    actor: a.actor,
    step: a.step,
    outcome: a.outcome,
    requestIds: a.requestIds ?? [],
    evidence:
      s.manifest !== undefined && sealed.has(`${a.at}\u0000${a.step}`)
        ? [s.ledger, s.manifest.ref]
        : [s.ledger],
  }));
}
