import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../lambdas/core/report/build';
import { SECTION_TITLES } from '../../lambdas/core/report/display';
import { BreachReport } from '../../lambdas/core/report/document';
import { ReportInputs } from '../../lambdas/core/report/inputs';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { renderMarkdown } from '../../lambdas/core/report/render-markdown';

const full = ReportInputs.parse(
  JSON.parse(readFileSync(join(__dirname, '../fixtures/report/full-inputs.json'), 'utf8')),
);

/** Only the ledger record, as it stands right after the request: no step has reported anything. */
function recordOnly(): ReportInputs {
  const r = structuredClone(full.record);
  for (const k of [
    'networkCutAt',
    'isolatedAt',
    'verification',
    'evidence',
    'activity',
    'reach',
    'exposure',
  ] as const)
    delete r[k];
  r.actions = r.actions.slice(0, 1);
  return {
    record: r,
    config: { organisation: 'Example Corp', jurisdictions: ['gdpr'] },
    generatedAt: '2026-11-29T22:42:00.000Z',
  };
}

describe('Function: buildReport with every source missing', () => {
  const report = buildReport(recordOnly());
  const finding = (area: string) => report.unknowns.filter((u) => u.area === area).map((u) => u.finding);

  it('builds a valid report from the ledger record alone', () => {
    expect(BreachReport.safeParse(report).success).toBe(true);
    for (const s of [report.evidence, report.reach, report.activity, report.exposure, report.secrets])
      expect(s.status).toBe('unknown');
    expect(report.exfiltration.comparison).toBe('unknown');
  });

  it('lists what is unknown, source by source', () => {
    expect(finding('containment')).toEqual(['Isolation has not been verified.']);
    expect(finding('evidence')[0]).toMatch(/manifest is not available/);
    expect(finding('activity')[0]).toMatch(/has not reported/);
    expect(finding('reach')[0]).toMatch(/has not reported/);
    expect(finding('exposure')[0]).toMatch(/has not reported/);
    expect(finding('secrets')[0]).toMatch(/disk scan/);
    expect(finding('network')).toEqual([
      'Flow logs unavailable: the bytes that left the instance are unknown.',
    ]);
    expect(finding('entry')[0]).toMatch(/how the attacker got in is unknown/);
  });

  it('gives an unavailable step its reason from the ledger', () => {
    const inputs = recordOnly();
    inputs.record.reach = {
      status: 'unavailable',
      at: '2026-11-29T22:50:00.000Z',
      objects: [],
      detail: 'iam:GetRolePolicy AccessDenied',
    };
    const r = buildReport(inputs);
    expect(r.unknowns.find((u) => u.area === 'reach')?.finding).toBe(
      'The reach (blast radius) step was unavailable: iam:GetRolePolicy AccessDenied.',
    );
  });

  it('says the timeline milestones that did not happen are unknown instead of leaving them out', () => {
    expect(report.timeline.map((t) => [t.kind, t.at])).toEqual([
      ['first-suspicious-event', null],
      ['detection', full.record.createdAt],
      ['network-cut', null],
      ['isolation-verified', null],
      ['evidence-sealed', null],
      ['report-issued', '2026-11-29T22:42:00.000Z'],
    ]);
  });

  it('renders every section heading and the unknowns in HTML and Markdown', () => {
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    for (const title of Object.values(SECTION_TITLES)) {
      expect(md).toContain(`## ${title}`);
      expect(html).toContain(`<h2>${title.replace(/"/g, '&quot;')}</h2>`);
    }
    expect(html).toContain('Flow logs unavailable');
    expect(md).toContain('Flow logs unavailable');
    expect(html.match(/this source is not available/g)).toHaveLength(5);
  });
});

describe('Function: buildReport coverage gaps as findings', () => {
  it('names each readable bucket whose data events were not logged', () => {
    const inputs = structuredClone(full);
    const late = inputs.activity?.late?.body;
    if (late === undefined) throw new Error('fixture has no late pass');
    late.coverage.dataEvents = { enabled: false, basis: 'GetEventSelectors', seen: 0 };
    const r = buildReport(inputs);
    expect(r.unknowns.map((u) => u.finding)).toContain(
      'No data events were logged for bucket arn:aws:s3:::customer-data: reads of its objects cannot be seen, though the session could read it.',
    );
    expect(r.exfiltration.s3BytesRead).toBeNull();
    expect(r.exfiltration.comparison).toBe('unknown');
  });

  it('flags S3 reads and flow-log egress that disagree, and agrees when they are close', () => {
    expect(buildReport(full).exfiltration).toMatchObject({
      comparison: 'egress-exceeds-read',
      disagreement: true,
    });
    const close = structuredClone(full);
    if (close.flowVolume === undefined) throw new Error('fixture has no flow volume');
    close.flowVolume.body.bytesOut.outsideVpc = 53_000_000;
    expect(buildReport(close).exfiltration).toMatchObject({ comparison: 'comparable', disagreement: false });
  });

  it('uses the late activity pass when both passes are in, and says when only the first one is', () => {
    expect(buildReport(full).activity.pass).toBe('late');
    const early = structuredClone(full);
    if (early.activity?.late === undefined) throw new Error('fixture has no late pass');
    delete early.activity.late;
    const r = buildReport(early);
    expect(r.activity.pass).toBe('initial');
    expect(r.unknowns.some((u) => u.finding.startsWith('Only the first activity pass is in'))).toBe(true);
  });
});
