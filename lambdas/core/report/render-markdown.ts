import type { BreachReport } from './document';
import { findingSections } from './markdown-findings';
import { factSections } from './markdown-sections';
import { MarkdownWriter } from './markdown-writer';

/**
 * The report as GitHub-flavoured Markdown, same sections and order as the HTML page. Every value is
 * escaped with `escapeMarkdown` (values never start a line: they follow a list marker, a table pipe or a
 * label), so text from the instance cannot become a link, an image, HTML or a new table cell.
 */
export function renderMarkdown(r: BreachReport): string {
  const w = new MarkdownWriter(r);
  factSections(w, r);
  findingSections(w, r);
  return w.text();
}
