import type { BreachReport } from './document';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';

export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Content types to store each rendering under (S3 `ContentType`, a served file's header). */
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
};

/**
 * One rendering of the report. `json` is the document itself (two-space indented, one trailing
 * newline): the form that is sealed and hashed, from which the other two can always be rendered again.
 */
export function renderReport(report: BreachReport, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(report);
    case 'md':
      return renderMarkdown(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}
