import { GUIDANCE, notificationClocks } from '../../lambdas/core/report/clocks';
import type { Jurisdiction } from '../../lambdas/core/report/inputs';
import { addUsBusinessDays, isUsBusinessDay } from '../../lambdas/core/report/us-business-days';
import { addMonthsIso, formatInZone } from '../../lambdas/core/report/zoned-time';

// Sunday 29 November 2026, 22:41:12 UTC = 17:41 in New York (EST) and 23:41 in Berlin (CET).
const AWARE = '2026-11-29T22:41:12.000Z';
const rows = (j: Jurisdiction, extra: Partial<Parameters<typeof notificationClocks>[0]> = {}) =>
  notificationClocks({ jurisdictions: [j], awarenessAt: AWARE, ...extra });
const due = (j: Jurisdiction, extra: Partial<Parameters<typeof notificationClocks>[0]> = {}) =>
  rows(j, extra).map((r) => r.dueAt);

describe('Function: notificationClocks', () => {
  it('gives GDPR, UK GDPR and NYDFS 72 hours from awareness', () => {
    expect(due('gdpr')).toEqual(['2026-12-02T22:41:12.000Z']);
    expect(due('uk-gdpr')).toEqual(['2026-12-02T22:41:12.000Z']);
    expect(due('nydfs-500')).toEqual(['2026-12-02T22:41:12.000Z']);
  });

  it('gives NIS2 an early warning at 24 h, the notification at 72 h and the final report a month after it', () => {
    expect(due('nis2')).toEqual([
      '2026-11-30T22:41:12.000Z',
      '2026-12-02T22:41:12.000Z',
      '2027-01-02T22:41:12.000Z',
    ]);
  });

  it('gives HIPAA 60 calendar days and the Australian assessment 30 days', () => {
    expect(due('hipaa')).toEqual(['2027-01-28T22:41:12.000Z']);
    expect(due('au-ndb')).toEqual(['2026-12-29T22:41:12.000Z']);
  });

  it('gives DORA 24 h from awareness when the classification time is not recorded', () => {
    const [initial, intermediate, final] = rows('dora');
    expect(initial?.dueAt).toBe('2026-11-30T22:41:12.000Z');
    expect(initial?.note).toContain('Classification time not recorded');
    expect(intermediate?.dueAt).toBe('2026-12-03T22:41:12.000Z');
    expect(final?.dueAt).toBe('2027-01-03T22:41:12.000Z');
  });

  it('gives DORA 4 h from classification when that is earlier than 24 h from awareness', () => {
    expect(due('dora', { majorIncidentClassifiedAt: '2026-11-30T00:41:12.000Z' })[0]).toBe(
      '2026-11-30T04:41:12.000Z',
    );
  });

  it('caps DORA at 24 h from awareness when classification comes late', () => {
    expect(due('dora', { majorIncidentClassifiedAt: '2026-11-30T21:00:00.000Z' })[0]).toBe(
      '2026-11-30T22:41:12.000Z',
    );
  });

  it('counts SEC 8-K business days from a Sunday awareness to Thursday 5:30 p.m. New York time', () => {
    // Mon 30 Nov (1), Tue 1 Dec (2), Wed 2 Dec (3), Thu 3 Dec (4); 17:30 EST = 22:30 UTC.
    const [row] = rows('sec-8k');
    expect(row?.dueAt).toBe('2026-12-03T22:30:00.000Z');
    expect(row?.startsFrom).toContain('not recorded');
  });

  it('starts the SEC clock at the materiality determination and skips Thanksgiving', () => {
    // Determined Wed 25 Nov 2026; Thu 26 Nov is Thanksgiving: Fri 27 (1), Mon 30 (2), Tue 1 (3), Wed 2 Dec (4).
    const [row] = rows('sec-8k', { materialityDeterminedAt: '2026-11-25T15:00:00.000Z' });
    expect(row?.dueAt).toBe('2026-12-02T22:30:00.000Z');
    expect(row?.startAt).toBe('2026-11-25T15:00:00.000Z');
    expect(row?.startsFrom).toBe('materiality determination');
  });

  it('skips the observed Independence Day (Friday 3 July 2026) and uses daylight time', () => {
    // 4 July 2026 is a Saturday, observed Fri 3 July: Mon 6 (1), Tue 7 (2), Wed 8 (3), Thu 9 (4); 17:30 EDT = 21:30 UTC.
    expect(due('sec-8k', { materialityDeterminedAt: '2026-07-02T14:00:00.000Z' })).toEqual([
      '2026-07-09T21:30:00.000Z',
    ]);
  });

  it('counts from the New York date of the determination, not the UTC date', () => {
    // 03:00 UTC on Tue 1 Dec is 22:00 on Mon 30 Nov in New York: Tue (1), Wed (2), Thu (3), Fri 4 Dec (4).
    expect(due('sec-8k', { materialityDeterminedAt: '2026-12-01T03:00:00.000Z' })).toEqual([
      '2026-12-04T22:30:00.000Z',
    ]);
  });

  it('skips Christmas Day', () => {
    // Wed 23 Dec 2026: Thu 24 (1), Fri 25 holiday, Mon 28 (2), Tue 29 (3), Wed 30 (4).
    expect(due('sec-8k', { materialityDeterminedAt: '2026-12-23T16:00:00.000Z' })).toEqual([
      '2026-12-30T22:30:00.000Z',
    ]);
  });

  it('shows the due time in the configured zone beside UTC', () => {
    expect(rows('gdpr', { timeZone: 'Europe/Berlin' })[0]?.dueLocal).toBe(
      '2026-12-02 23:41 (Europe/Berlin, UTC+01:00)',
    );
    expect(rows('gdpr')[0]?.dueLocal).toBeNull();
  });

  it('cites a rule over https and marks every row as guidance for counsel', () => {
    const all = notificationClocks({
      jurisdictions: ['gdpr', 'uk-gdpr', 'nis2', 'dora', 'sec-8k', 'hipaa', 'au-ndb', 'nydfs-500'],
      awarenessAt: AWARE,
    });
    expect(all).toHaveLength(12);
    for (const r of all) {
      expect(r.citation).toMatch(/^https:\/\//);
      expect(r.note).toContain(GUIDANCE);
      expect(GUIDANCE).toBe('Guidance for counsel, not legal advice.');
    }
  });
});

describe('Function: isUsBusinessDay', () => {
  it('treats observed federal holidays as closed days', () => {
    expect(isUsBusinessDay({ year: 2027, month: 12, day: 31 })).toBe(false); // New Year's Day 2028 is a Saturday
    expect(isUsBusinessDay({ year: 2027, month: 6, day: 18 })).toBe(false); // Juneteenth 2027 is a Saturday
    expect(isUsBusinessDay({ year: 2026, month: 1, day: 19 })).toBe(false); // Martin Luther King, Jr. Day
    expect(isUsBusinessDay({ year: 2026, month: 5, day: 25 })).toBe(false); // Memorial Day
    expect(isUsBusinessDay({ year: 2026, month: 11, day: 11 })).toBe(false); // Veterans Day (a Wednesday)
    expect(isUsBusinessDay({ year: 2026, month: 11, day: 27 })).toBe(true); // the day after Thanksgiving
  });

  it('never counts the start day itself', () => {
    expect(addUsBusinessDays({ year: 2026, month: 12, day: 1 }, 1)).toEqual({
      year: 2026,
      month: 12,
      day: 2,
    });
  });
});

describe('Function: addMonthsIso', () => {
  it('ends a month period on the last day of a shorter month', () => {
    expect(addMonthsIso('2027-01-31T10:00:00.000Z', 1)).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonthsIso('2028-01-31T10:00:00.000Z', 1)).toBe('2028-02-29T10:00:00.000Z');
  });
});

describe('Function: formatInZone', () => {
  it('follows daylight saving time', () => {
    expect(formatInZone('2026-07-01T12:00:00.000Z', 'America/New_York')).toBe(
      '2026-07-01 08:00 (America/New_York, UTC-04:00)',
    );
    expect(formatInZone('2026-12-01T12:00:00.000Z', 'America/New_York')).toBe(
      '2026-12-01 07:00 (America/New_York, UTC-05:00)',
    );
  });
});
