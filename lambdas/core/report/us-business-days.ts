import { addDays, type CivilDate, weekday } from './zoned-time';

/**
 * US federal holidays (5 U.S.C. 6103(a)) as observed: one falling on a Saturday is observed the Friday
 * before, on a Sunday the Monday after (5 U.S.C. 6103(b), Executive Order 11582).
 * https://www.law.cornell.edu/uscode/text/5/6103
 * Days the government closes ad hoc (executive orders, OPM closures) cannot be known in advance and are
 * not counted: the report says so next to the SEC row.
 */
export function usFederalHolidays(year: number): CivilDate[] {
  const fixed = (month: number, day: number) => observed({ year, month, day });
  return [
    fixed(1, 1), // New Year's Day
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.: third Monday of January
    nthWeekday(year, 2, 1, 3), // Washington's Birthday: third Monday of February
    lastWeekday(year, 5, 1), // Memorial Day: last Monday of May
    fixed(6, 19), // Juneteenth National Independence Day
    fixed(7, 4), // Independence Day
    nthWeekday(year, 9, 1, 1), // Labor Day: first Monday of September
    nthWeekday(year, 10, 1, 2), // Columbus Day: second Monday of October
    fixed(11, 11), // Veterans Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day: fourth Thursday of November
    fixed(12, 25), // Christmas Day
  ];
}

function observed(d: CivilDate): CivilDate {
  const w = weekday(d);
  if (w === 6) return addDays(d, -1);
  if (w === 0) return addDays(d, 1);
  return d;
}

function nthWeekday(year: number, month: number, dow: number, n: number): CivilDate {
  const first: CivilDate = { year, month, day: 1 };
  const shift = (dow - weekday(first) + 7) % 7;
  return addDays(first, shift + 7 * (n - 1));
}

function lastWeekday(year: number, month: number, dow: number): CivilDate {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last: CivilDate = { year, month, day: lastDay };
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

const same = (a: CivilDate, b: CivilDate) => a.year === b.year && a.month === b.month && a.day === b.day;

/** Monday to Friday and not an (observed) federal holiday. */
export function isUsBusinessDay(d: CivilDate): boolean {
  const w = weekday(d);
  if (w === 0 || w === 6) return false;
  // A holiday observed on 31 December belongs to the next year's New Year's Day.
  const candidates = [...usFederalHolidays(d.year), ...usFederalHolidays(d.year + 1)];
  return !candidates.some((h) => same(h, d));
}

/** The `n`th business day after `from` (the day itself is not counted, whatever it is). */
export function addUsBusinessDays(from: CivilDate, n: number): CivilDate {
  let d = from;
  let counted = 0;
  while (counted < n) {
    d = addDays(d, 1);
    if (isUsBusinessDay(d)) counted += 1;
  }
  return d;
}
