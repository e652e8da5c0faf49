import { bytesText, SECTION_TITLES as T, timeText } from './display';
import { code, el, list, p, refs, SafeHtml as Safe, type SafeHtml, section, table } from './html-fragments';
import { type Ctx, unknown, when } from './html-sections';

/** The HTML sections that interpret: exposure, entry hypotheses, exfiltration, unknowns, clocks, index. */

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
