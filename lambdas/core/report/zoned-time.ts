/**
 * Wall-clock arithmetic in IANA time zones with Node's built-in ICU (Intl), so deadlines that are defined
 * in local time (an EDGAR cut-off in New York) and times shown to readers in their zone need no library.
 */

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone; an unknown zone in config must not break the report. */
export function isKnownZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallParts(ms: number, timeZone: string) {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in minutes (positive east of Greenwich). */
function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallParts(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** The calendar date an instant falls on in a zone. */
export function civilDateIn(iso: string, timeZone: string): CivilDate {
  const w = wallParts(Date.parse(iso), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** The instant a wall-clock time occurs in a zone (two passes settle DST transitions). */
export function wallTimeToIso(date: CivilDate, hour: number, minute: number, timeZone: string): string {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let guess = naive - offsetMinutes(naive, timeZone) * 60000;
  guess = naive - offsetMinutes(guess, timeZone) * 60000;
  return new Date(guess).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-30 07:00 (Europe/Berlin, UTC+01:00)`: unambiguous for readers, no locale guessing. */
export function formatInZone(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  if (timeZone === 'UTC') return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const w = wallParts(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} (${timeZone}, UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

/** Adds calendar days to a civil date. */
export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday ... 6 = Saturday. */
export const weekday = (d: CivilDate): number => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

/**
 * Adds calendar months in UTC; a day that does not exist in the target month becomes its last day
 * (31 January + 1 month = 28/29 February), as EU Regulation 1182/71 Art. 3(2)(c) ends month periods.
 * The time of day is kept, which is never later than that Regulation's end of the day.
 */
export function addMonthsIso(iso: string, months: number): string {
  const t = new Date(iso);
  const day = t.getUTCDate();
  const target = new Date(t);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString();
}

export const addHoursIso = (iso: string, hours: number): string =>
  new Date(Date.parse(iso) + hours * 3600_000).toISOString();
