import type { InvestigationOutcome } from '../investigation/outcome';
import type { BreachReport, EvidenceRef } from './document';
import type { Sources } from './sources';

type Unknown = BreachReport['unknowns'][number];

/** Why a step's report is missing: the ledger says whether it was unavailable (and why) or never ran. */
function missingStep(
  area: string,
  what: string,
  outcome: InvestigationOutcome | undefined,
  ledger: EvidenceRef,
): Unknown {
  if (outcome?.status === 'unavailable')
    return {
      area,
      finding: `The ${what} step was unavailable: ${outcome.detail ?? 'no reason recorded'}.`,
      evidence: [ledger],
    };
  if (outcome?.status === 'written')
    return {
      area,
      finding: `The ${what} step wrote its report, but it was not among this report's inputs.`,
      evidence: [ledger],
    };
  return {
    area,
    finding: `The ${what} step has not reported: its findings are unknown.`,
    evidence: [ledger],
  };
}

function activityGaps(s: Sources): Unknown[] {
  const a = s.activity;
  if (a === undefined)
    return [
      missingStep(
        'activity',
        'CloudTrail activity',
        s.record.activity?.late ?? s.record.activity?.initial,
        s.ledger,
      ),
    ];
  const out: Unknown[] = [];
  const add = (finding: string) => out.push({ area: 'activity', finding, evidence: [a.ref] });
  const c = a.body.coverage;
  const buckets = (s.reach?.body.stores ?? []).filter(
    (x) => x.type === 's3' && x.fromInstance.readable !== 'no',
  );
  if (c.dataEvents.enabled === false) {
    if (buckets.length === 0)
      add('No S3 data events were logged: object reads and writes by the session cannot be seen.');
    for (const b of buckets)
      add(
        `No data events were logged for bucket ${b.arn}: reads of its objects cannot be seen, though the session could read it.`,
      );
  } else if (c.dataEvents.enabled === 'unknown') {
    add(
      `Whether S3 data events were logged is unknown (${c.dataEvents.detail ?? c.dataEvents.basis}): the absence of object reads proves nothing.`,
    );
  }
  if (c.logging.isLogging === false)
    add(
      `The trail was not logging (${c.logging.detail ?? 'GetTrailStatus'}): events after it stopped are missing.`,
    );
  if (c.logging.isLogging === 'unknown')
    add(
      `Whether the trail was logging is unknown${c.logging.detail === undefined ? '' : ` (${c.logging.detail})`}.`,
    );
  if (c.digests === undefined)
    add("CloudTrail digest files were not validated: the log files' integrity is not proven.");
  else {
    if (c.digests.uncoveredFiles.length > 0)
      add(`${c.digests.uncoveredFiles.length} CloudTrail log files are not covered by a valid digest.`);
    for (const b of c.digests.breaks) add(`Digest chain break at ${b.key}: ${b.problem}.`);
  }
  for (const f of c.filesMalformed) add(`CloudTrail log file ${f.key} could not be read: ${f.problem}.`);
  if (c.recordsMalformed > 0) add(`${c.recordsMalformed} CloudTrail records were malformed and skipped.`);
  if (a.pass === 'initial')
    add(
      // CloudTrail delivers log files within an average of about 5 minutes of the call, not guaranteed:
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
      'Only the first activity pass is in: events CloudTrail had not yet delivered (on average about 5 minutes after the call, with no guarantee) are missing until the late pass.',
    );
  return out;
}

function reachGaps(s: Sources): Unknown[] {
  const r = s.reach;
  if (r === undefined) return [missingStep('reach', 'reach (blast radius)', s.record.reach, s.ledger)];
  const out: Unknown[] = r.body.unknown.map((u) => ({
    area: 'reach',
    finding: `${u.what}: ${u.reason}.`,
    evidence: [r.ref],
  }));
  for (const st of r.body.stores.filter((x) => x.unknown !== undefined))
    out.push({ area: 'reach', finding: `Reach of ${st.arn} is unknown: ${st.unknown}.`, evidence: [r.ref] });
  return out;
}

function exposureGaps(s: Sources): Unknown[] {
  const e = s.exposure;
  if (e === undefined) return [missingStep('exposure', 'exposure', s.record.exposure, s.ledger)];
  const out: Unknown[] = e.body.unknowns.map((u) => ({
    area: 'exposure',
    finding: `${u}.`,
    evidence: [e.ref],
  }));
  const add = (finding: string) => out.push({ area: 'exposure', finding, evidence: [e.ref] });
  if (e.body.vulnerabilities.status === 'unavailable')
    add(
      `Amazon Inspector findings are unavailable: ${e.body.vulnerabilities.detail ?? 'no reason recorded'}.`,
    );
  if (e.body.findingHistory.status === 'unavailable')
    add(
      `GuardDuty's finding history is unavailable: ${e.body.findingHistory.detail ?? 'no reason recorded'}.`,
    );
  if (e.body.internetRoute === 'unknown') add('Whether the subnet routed to an internet gateway is unknown.');
  if (e.body.imds.httpTokens === 'unknown') add('Whether IMDSv1 was allowed is unknown.');
  return out;
}

function evidenceGaps(s: Sources): Unknown[] {
  const m = s.manifest;
  if (m === undefined)
    return [
      {
        area: 'evidence',
        finding: 'The evidence manifest is not available: the disk images and their hashes cannot be listed.',
        evidence: [s.ledger],
      },
    ];
  return m.body.context
    .filter((c) => c.status === 'unavailable')
    .map((c) => ({
      area: 'evidence',
      finding: `Context evidence "${c.name}" was not captured: ${c.detail ?? 'no reason recorded'}.`,
      evidence: [m.ref],
    }));
}

function otherGaps(s: Sources): Unknown[] {
  const out: Unknown[] = [];
  const ledger = (area: string, finding: string) => out.push({ area, finding, evidence: [s.ledger] });
  const v = s.record.verification;
  if (v === undefined) ledger('containment', 'Isolation has not been verified.');
  else if (!v.verified)
    ledger('containment', `Isolation verification found mismatches: ${v.mismatches.join('; ')}.`);
  if (s.record.failure !== undefined)
    ledger('containment', `Step ${s.record.failure.step} failed: ${s.record.failure.message}.`);
  if (s.secrets === undefined)
    ledger('secrets', 'The disk scan for credentials has no result: secrets stored on the disk are unknown.');
  const f = s.flow;
  if (f === undefined)
    ledger('network', 'Flow logs unavailable: the bytes that left the instance are unknown.');
  else if (f.body.status === 'unknown')
    out.push({
      area: 'network',
      finding: `Flow log volume unknown: ${f.body.reason ?? 'no reason recorded'}.`,
      evidence: f.refs,
    });
  else if (!f.body.complete)
    out.push({
      area: 'network',
      finding: 'Flow log records were skipped (SKIPDATA): bytes out are a lower bound.',
      evidence: f.refs,
    });
  return out;
}

/**
 * What the report cannot say, each as a finding with the evidence that shows the gap: a missing data
 * source, a step that was unavailable and why, a coverage hole. "No data events were logged for bucket
 * X" is a finding, not an omission.
 */
export function collectUnknowns(s: Sources): Unknown[] {
  return [...otherGaps(s), ...evidenceGaps(s), ...reachGaps(s), ...activityGaps(s), ...exposureGaps(s)];
}
