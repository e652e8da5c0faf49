import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse, parseFragment } from 'parse5';
import { buildReport } from '../../lambdas/core/report/build';
import { MAX_VALUE_CHARS } from '../../lambdas/core/report/escape';
import { ReportInputs } from '../../lambdas/core/report/inputs';
import { renderHtml } from '../../lambdas/core/report/render-html';
import { renderMarkdown } from '../../lambdas/core/report/render-markdown';
import { timelineSvg } from '../../lambdas/core/report/timeline-svg';

type Node = DefaultTreeAdapterMap['node'];

/** Strings an attacker controls on the instance or in the account, in every form that has bitten renderers. */
const PAYLOAD = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  '</text></svg><iframe src=//evil.example>',
  '[click](javascript:alert(4))',
  '![pixel](https://evil.example/p.png)',
  '`tick` **bold** _em_ ~~s~~ <b>b</b> &amp; &lt;',
  'a|b|c',
  'line1\nline2\r\n| injected | row |\n# heading',
  'rtl\u202Egnp.exe\u2066x\u2069',
].join(' ');
const LONG = `long-${'x'.repeat(5000)}`;

function hostileInputs() {
  const i = ReportInputs.parse(
    JSON.parse(readFileSync(join(__dirname, '../fixtures/report/full-inputs.json'), 'utf8')),
  );
  const r = i.record;
  r.reason = PAYLOAD;
  for (const a of r.actions) a.actor = PAYLOAD;
  r.trigger = { kind: 'api', principalArn: PAYLOAD };
  i.config.organisation = PAYLOAD;
  i.config.privilegeBanner = PAYLOAD;
  const late = i.activity?.late?.body;
  if (late === undefined || i.exposure === undefined || i.reach === undefined || i.manifest === undefined)
    throw new Error('fixture incomplete');
  for (const o of late.other) {
    o.userAgent = PAYLOAD;
    o.eventName = PAYLOAD;
    o.sourceIPAddress = PAYLOAD;
  }
  late.touched.push({
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    resource: `arn:aws:s3:::customer-data/${PAYLOAD}`,
    count: 1,
    bytesTransferredOut: 10,
  });
  late.touched.push({
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    resource: LONG,
    count: 1,
    bytesTransferredOut: 1,
  });
  for (const p of late.persistence) p.target = PAYLOAD;
  i.exposure.body.keyName = PAYLOAD;
  i.exposure.body.instanceAccess.push({
    eventTime: '2026-11-29T21:00:00Z',
    eventName: 'SendSSHPublicKey',
    actor: PAYLOAD,
    sourceIPAddress: PAYLOAD,
  });
  i.exposure.body.unknowns.push(PAYLOAD);
  const store = i.reach.body.stores[0];
  if (store === undefined) throw new Error('fixture has no store');
  store.arn = PAYLOAD;
  store.classification = { [PAYLOAD]: PAYLOAD };
  i.reach.body.alarms.push(PAYLOAD);
  const ctx = i.manifest.body.context[2];
  if (ctx !== undefined) ctx.detail = PAYLOAD;
  for (const s of i.secrets ?? []) s.preview = PAYLOAD;
  return i;
}

const report = buildReport(hostileInputs());
const html = renderHtml(report);
const markdown = renderMarkdown(report);
/** The Markdown as a reader sees it: backslash escapes removed. */
const markdownShown = markdown.replace(/\\(.)/g, '$1');

function walk(n: Node, visit: (n: Node) => void): void {
  visit(n);
  if ('childNodes' in n) for (const c of n.childNodes) walk(c, visit);
  if (n.nodeName === 'template' && 'content' in n) walk(n.content as Node, visit);
}

const HTML_ELEMENTS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'div',
  'header',
  'h1',
  'h2',
  'h3',
  'p',
  'main',
  'section',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'span',
  'a',
  'strong',
  'ul',
  'ol',
  'li',
]);
const SVG_ELEMENTS = new Set(['svg', 'title', 'g', 'line', 'circle', 'text']);
const citations = new Set(report.clocks.rows.map((r) => r.citation));

describe('Report renderers: hostile strings from the instance', () => {
  it('HTML: no element or attribute is injected, and every link stays in the page or cites a rule', () => {
    const doc = parse(html);
    const texts: string[] = [];
    walk(doc, (n) => {
      if (n.nodeName === '#text' && 'value' in n) texts.push(n.value);
      if (!('tagName' in n)) return;
      const allowed = n.namespaceURI === 'http://www.w3.org/2000/svg' ? SVG_ELEMENTS : HTML_ELEMENTS;
      expect({ element: n.tagName, allowed: allowed.has(n.tagName) }).toEqual({
        element: n.tagName,
        allowed: true,
      });
      for (const a of n.attrs) {
        expect(a.name).not.toMatch(/^on|^src$|^srcset$|^style$|^formaction$/);
        if (a.name === 'href') expect(a.value.startsWith('#E') || citations.has(a.value)).toBe(true);
      }
    });
    // The payload is shown as text, not interpreted.
    expect(texts.some((t) => t.includes('<script>alert(1)</script>'))).toBe(true);
    expect(texts.some((t) => t.includes('[click](javascript:alert(4))'))).toBe(true);
  });

  it('HTML: keeps one table row per touched resource', () => {
    const rows = html.split('<table class="touched">')[1]?.split('</table>')[0]?.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(report.activity.touched.length + 1);
  });

  it('SVG: the timeline picture has only its own elements', () => {
    const svg = timelineSvg(report);
    expect(svg).toContain('&lt;script&gt;');
    const frag = parseFragment(`<div>${svg}</div>`);
    walk(frag, (n) => {
      if ('tagName' in n && n.tagName !== 'div')
        expect(SVG_ELEMENTS.has(n.tagName) ? n.tagName : `injected <${n.tagName}>`).toBe(n.tagName);
    });
  });

  it('shows bidirectional overrides and newlines as code points, in every rendering', () => {
    for (const out of [html, markdownShown, timelineSvg(report)]) {
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      expect(out).toContain('[U+202E]');
      expect(out).toContain('line1[U+000A]line2[U+000D][U+000A]');
    }
  });

  it('cuts very long values and says how much was left out', () => {
    for (const out of [html, markdownShown]) {
      expect(out).not.toContain('x'.repeat(MAX_VALUE_CHARS));
      expect(out).toContain(`[${LONG.length - MAX_VALUE_CHARS} more characters]`);
    }
  });

  it('Markdown: no link, image, raw HTML or code span comes from a value', () => {
    const unescaped = markdown.replace(/\\./g, '');
    expect(unescaped).not.toMatch(/<script|<img|<svg|<iframe|<b>|\]\(javascript|!\[pixel\]|`tick`/);
    expect(markdown).toContain('\\[click\\](javascript:alert(4))');
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('Markdown: every table row has as many cells as its header (pipes in values are escaped)', () => {
    const lines = markdown.split('\n');
    let width: number | null = null;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = null;
        continue;
      }
      const cells = line.replace(/\\./g, '').split('|').length;
      width ??= cells;
      expect({ line: line.slice(0, 80), cells }).toEqual({ line: line.slice(0, 80), cells: width });
    }
    expect(lines.some((l) => l.startsWith('| injected'))).toBe(false);
    expect(lines.some((l) => l.startsWith('# heading'))).toBe(false);
  });
});
