import type { BreachReport } from './document';
import { escapeHtml } from './escape';
import { EvidenceIndex } from './evidence-index';
import { el, p, render, SafeHtml } from './html-fragments';
import * as S from './html-sections';

/**
 * No script, no request: everything is inline, and the policy forbids loading anything even if a
 * string slipped through (styles inline only, images only as data: URLs, no fonts, no frames).
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1a1a1a;
  max-width: 1200px; margin: 0 auto; padding: 0 24px 48px; line-height: 1.45; font-size: 15px; }
.banner { background: #7a1010; color: #fff; font-weight: bold; text-align: center; padding: 10px 16px;
  margin: 0 -24px 16px; letter-spacing: .02em; }
header h1 { margin: 8px 0 4px; font-size: 26px; }
header .meta { color: #444; margin: 0; }
h2 { border-bottom: 2px solid #ccc; padding-bottom: 4px; margin-top: 32px; font-size: 20px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; }
th { background: #f1f1f1; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
code.hash { background: #f6f6f6; padding: 0 2px; }
.refs a.ref { font-size: 11px; color: #1d5fa8; text-decoration: none; border: 1px solid #9bb7d8; border-radius: 3px;
  padding: 0 3px; margin-left: 2px; }
.unknown, .none { color: #6a4a00; font-style: italic; }
.alarm { color: #b3261e; }
.disclaimer { background: #fff7e0; border-left: 4px solid #c25e00; padding: 6px 10px; }
figure { margin: 8px 0; }
figcaption { color: #555; font-size: 12px; }
svg.timeline { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; background: #fcfcfc; }
ol.hypotheses > li { margin-bottom: 12px; }
@media print {
  body { max-width: none; font-size: 11pt; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { break-inside: avoid-page; }
  table { break-inside: auto; } tr { break-inside: avoid; }
  a.cite::after { content: ""; }
}`;

/** The report as one self-contained, printable HTML page: banner, summary first, then the sections. */
export function renderHtml(report: BreachReport): string {
  const ctx: S.Ctx = { r: report, ix: new EvidenceIndex(report), zone: report.timeZone };
  const i = report.incident;
  const title = `Breach report: incident ${i.incidentId}, instance ${i.instanceId}`;
  const body = [
    report.privilegeBanner === null
      ? ''
      : el('div', { class: 'banner', role: 'note' }, report.privilegeBanner),
    el('header', {}, [
      el('h1', {}, title),
      p(
        `${report.organisation} · generated ${S.when(ctx, report.generatedAt)} · quarantine ${i.quarantineId} · state ${i.state} · report format v${report.reportVersion}`,
        'meta',
      ),
    ]),
    el('main', {}, [
      S.summary(ctx),
      S.timeline(ctx),
      S.containment(ctx),
      S.evidence(ctx),
      S.reach(ctx),
      S.activity(ctx),
      S.exposure(ctx),
      S.hypotheses(ctx),
      S.exfiltration(ctx),
      S.unknowns(ctx),
      S.clocks(ctx),
      S.evidenceIndex(ctx),
    ]),
  ];
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">` +
    '<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head>\n<body>${render(body.map((b) => (typeof b === 'string' ? new SafeHtml(b) : b)))}</body></html>\n`
  );
}
