import { timeText } from './display';
import type { BreachReport, EvidenceRef } from './document';
import { escapeMarkdown as md } from './escape';
import { EvidenceIndex } from './evidence-index';

/**
 * Accumulates the Markdown lines of one report, with the helpers every section uses: times in UTC and
 * the configured zone, evidence labels, GFM tables (cells are escaped by the caller).
 */
export class MarkdownWriter {
  readonly out: string[] = [];
  readonly ix: EvidenceIndex;
  readonly zone: string;

  constructor(r: BreachReport) {
    this.ix = new EvidenceIndex(r);
    this.zone = r.timeZone;
  }

  readonly when = (iso: string | null): string => md(timeText(iso, this.zone));

  readonly cite = (e: ReadonlyArray<EvidenceRef>): string => {
    const l = this.ix.labels(e);
    return l.length === 0 ? '' : ` [${l.join(', ')}]`;
  };

  readonly table = (headers: string[], rows: string[][]): string[] =>
    rows.length === 0
      ? ['_None recorded._']
      : [
          `| ${headers.join(' | ')} |`,
          `|${headers.map(() => ' --- ').join('|')}|`,
          ...rows.map((x) => `| ${x.join(' | ')} |`),
        ];

  readonly h2 = (t: string): void => {
    this.out.push('', `## ${t}`, '');
  };

  text(): string {
    return `${this.out.join('\n')}\n`;
  }
}
