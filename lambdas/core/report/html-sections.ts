import { bytesText, countText, SECTION_TITLES as T, timeText, UNKNOWN_SECTION } from './display';
import type { BreachReport } from './document';
import type { EvidenceIndex } from './evidence-index';
import { code, el, list, p, refs, SafeHtml as Safe, type SafeHtml, section, table } from './html-fragments';
import { timelineSvg } from './timeline-svg';

type R = BreachReport;
type Ctx = { r: R; ix: EvidenceIndex; zone: string };
export const when = (c: Ctx, iso: string | null) => timeText(iso, c.zone);
const unknown = () => p(UNKNOWN_SECTION, 'unknown');

export const summary = (c: Ctx): SafeHtml =>
  section(
    'summary',
    T.summary,
    c.r.summary.map((s) => p([s.text, new Safe(' '), refs(c.ix, s.evidence)])),
  );

export const timeline = (c: Ctx): SafeHtml =>
  section('timeline', T.timeline, [
    el('figure', {}, [
      new Safe(timelineSvg(c.r)),
      el('figcaption', {}, 'Milestones in order; spacing is not to scale.'),
    ]),
    table(
      ['Milestone', 'When', 'Detail', 'Evidence'],
      c.r.timeline.map((t) => [t.label, when(c, t.at), t.detail, refs(c.ix, t.evidence)]),
      'timeline-table',
    ),
  ]);

export const containment = (c: Ctx): SafeHtml =>
  section(
    'containment',
    T.containment,
    table(
      ['When', 'Who', 'What', 'Outcome', 'AWS request ids', 'Evidence'],
      c.r.containment.map((a) => [
        when(c, a.at),
        a.actor,
        a.step,
        a.outcome,
        a.requestIds.join(', '),
        refs(c.ix, a.evidence),
      ]),
    ),
  );

export function evidence(c: Ctx): SafeHtml {
  const e = c.r.evidence;
  if (e.status === 'unknown') return section('evidence', T.evidence, unknown());
  return section('evidence', T.evidence, [
    p([
      `Sealed ${when(c, e.sealedAt)}; retention ${e.retention?.mode ?? 'unknown'} until ${e.retention?.until ?? 'unknown'}; legal hold ${e.legalHold === true ? 'ON' : 'off'}. `,
      refs(c.ix, e.evidence),
    ]),
    el('h3', {}, 'Disk images'),
    table(
      [
        'Volume',
        'Device',
        'Snapshot',
        'Vault key',
        'Version',
        'Size',
        'SHA-256 (composite)',
        'Retain until',
        'Legal hold',
      ],
      e.images.map((i) => [
        i.volumeId,
        i.deviceName,
        i.snapshotId,
        code(i.key),
        code(i.versionId),
        bytesText(i.bytes),
        el('code', { class: 'hash' }, i.compositeSha256),
        i.retainUntil,
        i.legalHold ? 'on' : 'off',
      ]),
      'images',
    ),
    el('h3', {}, 'Context evidence'),
    table(
      ['Name', 'Status', 'Vault key', 'Version', 'SHA-256', 'Detail'],
      e.context.map((x) => [
        x.name,
        x.status,
        x.key === null ? '—' : code(x.key),
        x.versionId ?? '—',
        x.sha256 === null ? '—' : el('code', { class: 'hash' }, x.sha256),
        x.detail ?? '',
      ]),
    ),
  ]);
}

export function reach(c: Ctx): SafeHtml {
  const x = c.r.reach;
  if (x.status === 'unknown') return section('reach', T.reach, unknown());
  const after = x.reachableAfter === 0 ? '0' : `${countText(x.reachableAfter)} (ALARM)`;
  return section('reach', T.reach, [
    p([
      `Data stores readable before isolation: ${countText(x.reachableBefore)} (from the internet with the stolen credentials: ${countText(x.reachableFromInternet)}); after isolation: ${after}. `,
      refs(c.ix, x.evidence),
    ]),
    el('h3', {}, 'Classified stores reachable before isolation'),
    table(
      ['Store', 'Type', 'Classification', 'Via role', 'Before', 'After'],
      x.classified.map((s) => [code(s.arn), s.type, s.classification, s.via, s.before, s.after]),
    ),
    ...(x.alarms.length > 0 ? [el('h3', { class: 'alarm' }, 'Alarms'), list(x.alarms, 'alarm')] : []),
  ]);
}

export function activity(c: Ctx): SafeHtml {
  const a = c.r.activity;
  if (a.status === 'unknown') return section('activity', T.activity, unknown());
  return section('activity', T.activity, [
    p([
      `CloudTrail window ${when(c, a.window?.since ?? null)} to ${when(c, a.window?.until ?? null)} (${a.pass} pass). Calls with IMDSv1-delivered credentials: ${countText(a.imdsV1Deliveries)}. `,
      refs(c.ix, a.evidence),
    ]),
    el('h3', {}, 'Touched data'),
    table(
      ['Resource', 'Call', 'Service', 'Count', 'Bytes out'],
      a.touched.map((t) => [
        code(t.resource),
        t.eventName,
        t.eventSource,
        String(t.count),
        bytesText(t.bytes),
      ]),
      'touched',
    ),
    el('h3', {}, 'Calls from outside the instance'),
    table(
      ['When', 'Call', 'Source address', 'User agent', 'Error'],
      a.fromOutside.map((o) => [
        when(c, o.eventTime),
        o.eventName,
        o.sourceIPAddress,
        o.userAgent ?? '—',
        o.errorCode ?? '',
      ]),
    ),
    el('h3', {}, 'Persistence attempts'),
    table(
      ['When', 'Call', 'Target', 'Error'],
      a.persistence.map((x) => [when(c, x.eventTime), x.eventName, x.target, x.errorCode ?? '']),
    ),
  ]);
}

export function exposure(c: Ctx): SafeHtml {
  const e = c.r.exposure;
  const s = c.r.secrets;
  return new Safe(
    [
      section(
        'exposure',
        T.exposure,
        e.status === 'unknown'
          ? unknown()
          : [
              table(
                ['Fact', 'Value'],
                e.facts.map((f) => [f.label, f.value]),
              ),
              p(refs(c.ix, e.evidence)),
            ],
      ),
      section(
        'secrets',
        T.secrets,
        s.status === 'unknown'
          ? unknown()
          : [
              p('Never the secret itself: its kind, where it is, and a redacted preview.'),
              table(
                ['Volume', 'Offset', 'Kind', 'Preview', 'Owner'],
                s.findings.map((f) => [f.volumeId, String(f.offset), f.kind, code(f.preview), f.owner]),
              ),
              p(refs(c.ix, s.evidence)),
            ],
      ),
    ]
      .map((x) => x.html)
      .join(''),
  );
}

export function hypotheses(c: Ctx): SafeHtml {
  const hs = c.r.hypotheses;
  if (hs.length === 0)
    return section(
      'hypotheses',
      T.hypotheses,
      p('No entry hypothesis has support in the recorded facts: unknown.', 'unknown'),
    );
  return section(
    'hypotheses',
    T.hypotheses,
    el(
      'ol',
      { class: 'hypotheses' },
      hs.map((h) =>
        el('li', {}, [
          el('h3', {}, `${h.title} (${h.strength})`),
          el('p', {}, 'Supporting facts:'),
          list(h.supporting.map((s) => [s.fact, new Safe(' '), refs(c.ix, s.evidence)])),
          el('p', {}, 'What would confirm it:'),
          list(h.toConfirm),
        ]),
      ),
    ),
  );
}

export function exfiltration(c: Ctx): SafeHtml {
  const x = c.r.exfiltration;
  return section('exfiltration', T.exfiltration, [
    table(
      ['Estimate', 'Bytes'],
      [
        ['Read from S3 (CloudTrail data events)', bytesText(x.s3BytesRead)],
        ['Left the VPC (flow logs)', bytesText(x.bytesOutsideVpc)],
        ['To the internet (flow logs)', bytesText(x.bytesToInternet)],
      ],
    ),
    p([
      x.disagreement ? el('strong', { class: 'alarm' }, 'The two sources disagree. ') : '',
      x.statement,
      new Safe(' '),
      refs(c.ix, x.evidence),
    ]),
  ]);
}

export const unknowns = (c: Ctx): SafeHtml =>
  section(
    'unknowns',
    T.unknowns,
    list(
      c.r.unknowns.map((u) => [
        el('strong', {}, `${u.area}: `),
        u.finding,
        new Safe(' '),
        refs(c.ix, u.evidence),
      ]),
    ),
  );

export function clocks(c: Ctx): SafeHtml {
  const k = c.r.clocks;
  const zoneCol = c.zone === 'UTC' ? [] : [`Due (${c.zone})`];
  return section('clocks', T.clocks, [
    p(k.disclaimer, 'disclaimer'),
    p(`Awareness: ${when(c, k.awarenessAt)} (${k.awarenessBasis}).`),
    table(
      ['Regime', 'Obligation', 'Clock starts at', 'Due (UTC)', ...zoneCol, 'Rule', 'Note'],
      k.rows.map((r) => [
        r.jurisdiction,
        r.obligation,
        `${r.startsFrom}: ${when(c, r.startAt)}`,
        r.dueAt === null ? 'unknown' : timeText(r.dueAt, 'UTC'),
        ...(c.zone === 'UTC' ? [] : [r.dueLocal ?? '—']),
        [r.rule, new Safe(' '), el('a', { class: 'cite', href: r.citation, rel: 'noreferrer' }, r.citation)],
        r.note ?? '',
      ]),
      'clocks',
    ),
  ]);
}

export const evidenceIndex = (c: Ctx): SafeHtml =>
  section(
    'evidence-index',
    T.index,
    table(
      ['Ref', 'Where', 'Key', 'Version', 'SHA-256'],
      c.ix
        .entries()
        .map((e) => [
          el('span', { id: e.label }, e.label),
          e.source === 'vault' ? 'evidence vault (S3)' : 'ledger (DynamoDB)',
          code(e.key),
          e.versionId ?? '—',
          e.sha256 === null ? '—' : el('code', { class: 'hash' }, e.sha256),
        ]),
      'index',
    ),
  );

export type { Ctx };
