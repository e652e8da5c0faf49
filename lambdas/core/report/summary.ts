import type { Trigger } from '../schemas/trigger';
import type { BreachReport, EvidenceRef } from './document';
import { formatBytes } from './exfiltration';
import type { Sources } from './sources';

type Claim = BreachReport['summary'][number];
type Built = Omit<BreachReport, 'summary'>;

export const triggerText = (t: Trigger): string =>
  t.kind === 'guardduty'
    ? `GuardDuty finding ${t.findingId}${t.findingType === undefined ? '' : ` (${t.findingType})`}`
    : `${t.kind === 'api' ? 'an API' : 'a CLI'} request by ${t.principalArn}`;

/** `42 seconds`, `7 minutes`, `3 hours 5 minutes`: how long a reader waited, not a timestamp. */
export function durationText(fromIso: string, toIso: string): string {
  const s = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (!Number.isFinite(s)) return 'an unknown time';
  if (s < 0) return durationText(toIso, fromIso);
  if (s < 120) return `${s} seconds`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} minutes`;
  return `${Math.floor(m / 60)} hours ${m % 60} minutes`;
}

const unique = (refs: EvidenceRef[]): EvidenceRef[] => {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const id = `${r.source} ${r.key} ${r.versionId} ${r.sha256}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

/**
 * The plain-language summary: one short paragraph per question a reader asks first (what, how fast,
 * is the evidence safe, what could it reach, what did it touch, how did they get in, what left, what
 * is unknown). Each cites the same evidence as the section it condenses.
 */
export function buildSummary(s: Sources, r: Built): Claim[] {
  const rec = s.record;
  const out: Claim[] = [];
  const i = r.incident;
  out.push({
    text: `${r.organisation} quarantined EC2 instance ${i.instanceId} in ${i.region}${i.accountId === null ? '' : ` (account ${i.accountId})`} for incident ${i.incidentId}, in response to ${triggerText(rec.trigger)}. Reason given: ${i.reason}.`,
    evidence: [s.ledger],
  });
  const cut = rec.networkCutAt;
  const verified = rec.verification?.verified === true;
  out.push({
    text:
      cut === undefined
        ? 'No network cut is recorded: the instance may still be reachable.'
        : `Its network was cut ${durationText(s.awarenessAt, cut)} ${Date.parse(cut) >= Date.parse(s.awarenessAt) ? 'after' : 'before'} detection; isolation ${verified ? 'was verified' : 'has NOT been verified'}.`,
    evidence: [s.ledger],
  });
  const ev = r.evidence;
  out.push({
    text:
      ev.status === 'unknown'
        ? 'The evidence manifest is not available, so the sealed disk images cannot be listed here.'
        : `${ev.images.length} disk image piece(s) and ${ev.context.filter((c) => c.status === 'captured').length} context object(s) are sealed in the evidence vault under ${ev.retention?.mode ?? '?'} retention until ${ev.retention?.until ?? '?'}; legal hold is ${ev.legalHold === true ? 'on' : 'off'}.`,
    evidence: ev.evidence,
  });
  const re = r.reach;
  out.push({
    text:
      re.status === 'unknown'
        ? "What the instance's credentials could reach is not known yet."
        : `Before isolation its credentials could read ${re.reachableBefore} data store(s), ${re.classified.length} of them classified; after isolation: ${re.reachableAfter}${re.reachableAfter === 0 ? '' : ' — ALARM: the deny did not hold for all of them'}.`,
    evidence: re.evidence,
  });
  const a = r.activity;
  const s3 = r.exfiltration.s3BytesRead;
  out.push({
    text:
      a.status === 'unknown'
        ? 'What the credentials did (CloudTrail) is not known yet.'
        : `CloudTrail shows its credentials touched ${a.touched.length} resource(s)${s3 === null ? '' : `, reading ${formatBytes(s3)} from S3`}; ${a.fromOutside.length} call(s) came from outside the instance and ${a.persistence.length} persistence action(s) were attempted.`,
    evidence: a.evidence,
  });
  const top = r.hypotheses[0];
  out.push({
    text:
      top === undefined
        ? 'How the attacker got in is not established by the recorded facts.'
        : `Most likely way in (${top.strength}): ${top.title}.`,
    evidence: top === undefined ? [] : unique(top.supporting.flatMap((x) => x.evidence)),
  });
  out.push({ text: r.exfiltration.statement, evidence: r.exfiltration.evidence });
  out.push({
    text: `${r.unknowns.length} thing(s) are not known yet; they are listed under "What we do not know".`,
    evidence: [],
  });
  return out;
}
