import type { BreachReport, TimelineKind } from './document';
import { escapeSvgText } from './escape';
import { durationText } from './summary';
import { formatInZone } from './zoned-time';

const COLOURS: Record<TimelineKind, string> = {
  'first-suspicious-event': '#b3261e',
  detection: '#c25e00',
  'network-cut': '#1d5fa8',
  'isolation-verified': '#1b7f3b',
  'evidence-sealed': '#5b3fa0',
  'report-issued': '#444444',
};

const WIDTH = 960;
const HEIGHT = 150;
const AXIS = 84;
const LEFT = 80;
const RIGHT = WIDTH - 80;

/**
 * The timeline as an inline SVG picture: one marker per milestone, evenly spaced (the gaps run from
 * seconds to days, so the picture is not to scale; the elapsed time is written on each gap). A missing
 * time is a hollow grey marker labelled "unknown". Labels alternate above and below the axis. Every
 * string is escaped as XML text; nothing is fetched (no fonts, no images, no links).
 */
export function timelineSvg(report: BreachReport): string {
  const t = report.timeline;
  const step = t.length > 1 ? (RIGHT - LEFT) / (t.length - 1) : 0;
  const x = (i: number) => Math.round(LEFT + i * step);
  const parts: string[] = [];
  parts.push(
    `<line x1="${LEFT - 30}" y1="${AXIS}" x2="${RIGHT + 30}" y2="${AXIS}" stroke="#888" stroke-width="2"/>`,
  );
  t.forEach((e, i) => {
    const cx = x(i);
    const known = e.at !== null;
    const colour = known ? COLOURS[e.kind] : '#999999';
    const above = i % 2 === 0;
    const labelY = above ? AXIS - 42 : AXIS + 36;
    const timeY = labelY + 16;
    const tip = `${e.label}: ${e.detail}`;
    parts.push(
      `<g class="milestone" data-kind="${escapeSvgText(e.kind)}"><title>${escapeSvgText(tip)}</title>` +
        `<line x1="${cx}" y1="${AXIS}" x2="${cx}" y2="${above ? AXIS - 24 : AXIS + 20}" stroke="${colour}" stroke-width="1.5"/>` +
        `<circle cx="${cx}" cy="${AXIS}" r="8" fill="${known ? colour : '#ffffff'}" stroke="${colour}" stroke-width="2"${known ? '' : ' stroke-dasharray="3 2"'}/>` +
        `<text x="${cx}" y="${labelY}" text-anchor="middle" font-size="13" font-weight="bold" fill="#222">${escapeSvgText(e.label)}</text>` +
        `<text x="${cx}" y="${timeY}" text-anchor="middle" font-size="12" fill="#333">${escapeSvgText(e.at === null ? 'unknown' : formatInZone(e.at, 'UTC'))}</text>` +
        '</g>',
    );
    const prev = t[i - 1];
    if (i > 0 && prev !== undefined && prev.at !== null && e.at !== null) {
      const mid = Math.round((x(i - 1) + cx) / 2);
      parts.push(
        `<text class="gap" x="${mid}" y="${AXIS - 8}" text-anchor="middle" font-size="11" fill="#666">+${escapeSvgText(durationText(prev.at, e.at))}</text>`,
      );
    }
  });
  const label = t.map((e) => `${e.label} ${e.at ?? 'unknown'}`).join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeSvgText(`Timeline: ${label}`)}" font-family="system-ui, sans-serif">` +
    `<title>${escapeSvgText('Incident timeline (not to scale)')}</title>${parts.join('')}</svg>`
  );
}
