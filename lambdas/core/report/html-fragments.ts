import type { EvidenceRef } from './document';
import { escapeHtml } from './escape';
import type { EvidenceIndex } from './evidence-index';

/**
 * Markup that is already safe. Renderer helpers accept `string | SafeHtml` and escape every plain
 * string, so text from the instance cannot reach the page unescaped by forgetting a call.
 */
export class SafeHtml {
  constructor(readonly html: string) {}
}
export type Content = string | SafeHtml | ReadonlyArray<Content>;

export function render(c: Content): string {
  if (typeof c === 'string') return escapeHtml(c);
  if (c instanceof SafeHtml) return c.html;
  return c.map(render).join('');
}

/** An element with fixed (code-chosen) tag and attribute names; attribute values are escaped. */
export function el(tag: string, attrs: Record<string, string>, content: Content = ''): SafeHtml {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  return new SafeHtml(`<${tag}${a}>${render(content)}</${tag}>`);
}

export const p = (content: Content, cls?: string) =>
  el('p', cls === undefined ? {} : { class: cls }, content);
export const code = (value: string) => el('code', {}, value);

/** In-page links to the evidence index (`#E1`): no request leaves the page. */
export function refs(index: EvidenceIndex, evidence: ReadonlyArray<EvidenceRef>): SafeHtml {
  const labels = index.labels(evidence);
  if (labels.length === 0) return new SafeHtml('');
  return el(
    'span',
    { class: 'refs' },
    labels.flatMap((l, i) => [i === 0 ? '' : new SafeHtml(' '), el('a', { href: `#${l}`, class: 'ref' }, l)]),
  );
}

export function table(
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Content>>,
  cls?: string,
): SafeHtml {
  if (rows.length === 0) return p('None recorded.', 'none');
  const head = el(
    'tr',
    {},
    headers.map((h) => el('th', { scope: 'col' }, h)),
  );
  const body = rows.map((r) =>
    el(
      'tr',
      {},
      r.map((c) => el('td', {}, c)),
    ),
  );
  return el('table', cls === undefined ? {} : { class: cls }, [el('thead', {}, head), el('tbody', {}, body)]);
}

export function section(id: string, title: string, content: Content): SafeHtml {
  return el('section', { id }, [el('h2', {}, title), new SafeHtml(render(content))]);
}

export function list(items: ReadonlyArray<Content>, cls?: string): SafeHtml {
  if (items.length === 0) return p('None recorded.', 'none');
  return el(
    'ul',
    cls === undefined ? {} : { class: cls },
    items.map((i) => el('li', {}, i)),
  );
}
