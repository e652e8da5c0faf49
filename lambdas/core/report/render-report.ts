import { buildReport } from './build';
import type { RenderReport } from './issue';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';

/** The report step's renderer: one document built from the inputs, in its three sealed forms. */
export const renderReport: RenderReport = (inputs) => {
  const report = buildReport(inputs);
  return {
    json: `${JSON.stringify(report, null, 2)}\n`,
    md: renderMarkdown(report),
    html: renderHtml(report),
  };
};
