/**
 * The one place the report's renderers make strings safe to write. Everything that came from the
 * instance or an account (process names, user agents, object keys, actors, reasons) is attacker-
 * controlled: it may hold markup, Markdown link syntax, newlines, bidirectional overrides that reorder
 * what a reader sees (Trojan Source, CVE-2021-42574), or be megabytes long.
 */

/** Longest value written whole; the full value stays in the sealed evidence the claim cites. */
export const MAX_VALUE_CHARS = 600;

// Controls (Cc: C0, C1, DEL; newlines included: one value, one line), format characters (Cf: bidi
// embeddings, overrides and isolates, marks, zero-width characters, the BOM) and line/paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Makes a value visible as what it is: invisible and reordering characters become `[U+XXXX]`, and an
 * overlong value is cut with the count of what was left out. Applied by every escaper below.
 */
export function neutralise(value: string): string {
  const shown = value.replace(
    INVISIBLE,
    (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
  const chars = Array.from(shown);
  if (chars.length <= MAX_VALUE_CHARS) return shown;
  return `${chars.slice(0, MAX_VALUE_CHARS).join('')}…[${chars.length - MAX_VALUE_CHARS} more characters]`;
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML text and (quoted) attribute values; also XML text, so SVG `<text>` uses it too. */
export function escapeHtml(value: string): string {
  return neutralise(value).replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/** SVG text inside the HTML page: the same five characters matter in XML and in HTML foreign content. */
export const escapeSvgText = escapeHtml;

// CommonMark lets any ASCII punctuation be backslash-escaped (spec 2.4). These are the ones that can
// start markup inside a line: emphasis and strikethrough, code spans, links and images (`[`, `]`, `!`:
// without them `(` cannot form a link), raw HTML and entities, table cells. `-`, `+`, `#`, `=`, `>`, a
// digit and `.` matter only at the start of a line, where the renderer never puts a value.
const MARKDOWN = /[\\`*_[\]<>!|~&]/g;

/** Markdown text (paragraphs, list items and table cells alike). */
export function escapeMarkdown(value: string): string {
  return neutralise(value).replace(MARKDOWN, (c) => `\\${c}`);
}
