import { CLOCKS_DISCLAIMER, notificationClocks } from './clocks';
import type { BreachReport } from './document';
import { exfiltrationEstimate } from './exfiltration';
import { rankHypotheses } from './hypotheses';
import type { ReportInputs } from './inputs';
import { activitySection, evidenceSection, exposureSection, reachSection, secretsSection } from './sections';
import { resolveSources } from './sources';
import { buildSummary, triggerText } from './summary';
import { buildContainment, buildTimeline } from './timeline';
import { collectUnknowns } from './unknowns';
import { isKnownZone } from './zoned-time';

/**
 * Builds the breach report from its inputs. Pure and deterministic: no clock is read (`generatedAt` is
 * an input) and the same inputs give the same document, so a sealed report can be rebuilt and compared.
 * Every part but the ledger record may be missing; the report then says what is unknown.
 */
export function buildReport(inputs: ReportInputs): BreachReport {
  const s = resolveSources(inputs);
  const rec = inputs.record;
  const cfg = inputs.config;
  const zone = cfg.timeZone !== undefined && isKnownZone(cfg.timeZone) ? cfg.timeZone : undefined;
  const unknowns = collectUnknownsWithConfig(s, cfg.timeZone, zone);
  const exfiltration = exfiltrationEstimate({
    ...(s.activity === undefined ? {} : { activity: s.activity }),
    ...(s.flow === undefined ? {} : { flow: s.flow }),
  });
  const partial: Omit<BreachReport, 'summary'> = {
    reportVersion: 1,
    generatedAt: inputs.generatedAt,
    organisation: cfg.organisation,
    privilegeBanner: cfg.privilegeBanner ?? null,
    timeZone: zone ?? 'UTC',
    incident: {
      incidentId: rec.incidentId,
      quarantineId: rec.quarantineId,
      instanceId: rec.instance.instanceId,
      region: rec.instance.region,
      accountId: rec.instance.accountId ?? null,
      reason: rec.reason,
      trigger: triggerText(rec.trigger),
      state: rec.state,
    },
    timeline: buildTimeline(s, inputs.generatedAt),
    containment: buildContainment(s),
    evidence: evidenceSection(s),
    reach: reachSection(s),
    activity: activitySection(s),
    exposure: exposureSection(s),
    secrets: secretsSection(s),
    hypotheses: rankHypotheses({
      ...(s.activity === undefined ? {} : { activity: s.activity }),
      ...(s.exposure === undefined ? {} : { exposure: s.exposure }),
      ...(s.secrets === undefined ? {} : { secrets: s.secrets }),
    }),
    exfiltration,
    unknowns,
    clocks: {
      awarenessAt: s.awarenessAt,
      awarenessBasis: s.awarenessBasis,
      disclaimer: CLOCKS_DISCLAIMER,
      rows: notificationClocks({
        jurisdictions: cfg.jurisdictions,
        awarenessAt: s.awarenessAt,
        ...(inputs.determinations?.materialityDeterminedAt === undefined
          ? {}
          : { materialityDeterminedAt: inputs.determinations.materialityDeterminedAt }),
        ...(inputs.determinations?.majorIncidentClassifiedAt === undefined
          ? {}
          : { majorIncidentClassifiedAt: inputs.determinations.majorIncidentClassifiedAt }),
        ...(zone === undefined ? {} : { timeZone: zone }),
      }),
    },
  };
  if (partial.hypotheses.length === 0)
    partial.unknowns.push({
      area: 'entry',
      finding: 'No entry hypothesis has support in the recorded facts: how the attacker got in is unknown.',
      evidence: [],
    });
  return { ...partial, summary: buildSummary(s, partial) };
}

function collectUnknownsWithConfig(
  s: ReturnType<typeof resolveSources>,
  configured: string | undefined,
  zone: string | undefined,
) {
  const out = collectUnknowns(s);
  if (configured !== undefined && zone === undefined)
    out.push({
      area: 'report',
      finding: `The configured time zone "${configured}" is not known: times are shown in UTC only.`,
      evidence: [],
    });
  return out;
}
