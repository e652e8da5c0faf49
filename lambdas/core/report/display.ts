import { formatBytes } from './exfiltration';
import { formatInZone } from './zoned-time';

/**
 * Plain-text values both renderers show the same way (escaping is the renderer's job, after this).
 * Times are always given in UTC, and in the configured zone beside it.
 */
export function timeText(iso: string | null, zone: string): string {
  if (iso === null) return 'unknown';
  const utc = formatInZone(iso, 'UTC');
  return zone === 'UTC' ? utc : `${utc} / ${formatInZone(iso, zone)}`;
}

export const bytesText = (n: number | null): string => (n === null ? 'unknown' : formatBytes(n));

export const countText = (n: number | null): string => (n === null ? 'unknown' : String(n));

export const SECTION_TITLES = {
  summary: 'Summary',
  timeline: 'Timeline',
  containment: 'Containment actions',
  evidence: 'Evidence',
  reach: 'Reach: what the credentials could read',
  activity: 'Activity: what the credentials did',
  exposure: 'Exposure at detection',
  secrets: 'Credentials found on the disk',
  hypotheses: 'How they most likely got in',
  exfiltration: 'Exfiltration estimate',
  unknowns: 'What we do not know',
  clocks: 'Notification clocks',
  index: 'Evidence objects cited',
} as const;

export const UNKNOWN_SECTION = 'Unknown: this source is not available (see "What we do not know").';
