import type { ClockRow } from './document';
import type { Jurisdiction } from './inputs';
import { addUsBusinessDays } from './us-business-days';
import { addHoursIso, addMonthsIso, civilDateIn, formatInZone, wallTimeToIso } from './zoned-time';

export const GUIDANCE = 'Guidance for counsel, not legal advice.';
export const CLOCKS_DISCLAIMER =
  'These deadlines are guidance for counsel, not legal advice. Whether an obligation applies (personal ' +
  'data, significance, materiality, sector, thresholds) is a legal judgement this report does not make; ' +
  'each clock is computed from the times recorded here and cites the rule it reads.';

export interface ClockInputs {
  readonly jurisdictions: ReadonlyArray<Jurisdiction>;
  readonly awarenessAt: string;
  readonly materialityDeterminedAt?: string;
  readonly majorIncidentClassifiedAt?: string;
  /** Display zone of the `dueLocal` column; UTC is always in `dueAt`. */
  readonly timeZone?: string;
}

type Row = Omit<ClockRow, 'dueLocal' | 'note'> & { note?: string };

const EARLIEST = 'not recorded: shown from awareness, the earliest it can start';
const minIso = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * 8-K: four business days after the determination (General Instruction B.1 of Form 8-K); a business day
 * is one the SEC is open, and a filing is dated that day when transmitted by 5:30 p.m. Eastern time
 * (Regulation S-T Rule 13(a)(2), https://www.law.cornell.edu/cfr/text/17/232.13). Counted on the
 * calendar of New York, skipping weekends and observed US federal holidays.
 */
function secDue(from: string): string {
  const day = addUsBusinessDays(civilDateIn(from, 'America/New_York'), 4);
  return wallTimeToIso(day, 17, 30, 'America/New_York');
}

function rowsFor(j: Jurisdiction, c: ClockInputs): Row[] {
  const aware = c.awarenessAt;
  switch (j) {
    case 'gdpr':
      return [
        {
          jurisdiction: 'EU GDPR',
          obligation:
            'Notify the supervisory authority (Art. 33(1)); data subjects too when the risk is high (Art. 34)',
          startsFrom: 'awareness of the personal data breach',
          startAt: aware,
          dueAt: addHoursIso(aware, 72),
          rule: 'Without undue delay and, where feasible, not later than 72 hours after becoming aware.',
          citation: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
        },
      ];
    case 'uk-gdpr':
      return [
        {
          jurisdiction: 'UK GDPR',
          obligation: 'Notify the ICO (Art. 33(1) UK GDPR)',
          startsFrom: 'awareness of the personal data breach',
          startAt: aware,
          dueAt: addHoursIso(aware, 72),
          rule: 'Without undue delay and, where feasible, not later than 72 hours after becoming aware.',
          citation: 'https://www.legislation.gov.uk/eur/2016/679/article/33',
        },
      ];
    case 'nis2': {
      const notification = addHoursIso(aware, 72);
      const base = {
        jurisdiction: 'EU NIS2',
        startsFrom: 'awareness of the significant incident',
        startAt: aware,
      };
      const citation = 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj';
      return [
        {
          ...base,
          obligation: 'Early warning to the CSIRT or competent authority (Art. 23(4)(a))',
          dueAt: addHoursIso(aware, 24),
          rule: 'Without undue delay and in any event within 24 hours of becoming aware.',
          citation,
        },
        {
          ...base,
          obligation: 'Incident notification (Art. 23(4)(b))',
          dueAt: notification,
          rule: 'Without undue delay and in any event within 72 hours of becoming aware.',
          citation,
        },
        {
          ...base,
          obligation: 'Final report (Art. 23(4)(d))',
          dueAt: addMonthsIso(notification, 1),
          rule: 'Not later than one month after the submission of the incident notification.',
          citation,
          note: 'Shown from the latest the incident notification can be submitted; earlier if it is submitted earlier.',
        },
      ];
    }
    case 'dora': {
      const classified = c.majorIncidentClassifiedAt;
      const initial =
        classified === undefined
          ? addHoursIso(aware, 24)
          : minIso(addHoursIso(classified, 4), addHoursIso(aware, 24));
      const intermediate = addHoursIso(initial, 72);
      const base = { jurisdiction: 'EU DORA', citation: 'https://eur-lex.europa.eu/eli/reg_del/2025/301/oj' };
      return [
        {
          ...base,
          obligation:
            'Initial notification of a major ICT-related incident (Art. 19(4)(a) DORA; Art. 5(1)(a) RTS 2025/301)',
          startsFrom:
            classified === undefined
              ? `classification as major (${EARLIEST}) and awareness`
              : 'classification as major and awareness',
          startAt: classified ?? aware,
          dueAt: initial,
          rule: 'Within 4 hours from classification as major, and no later than 24 hours from becoming aware.',
          ...(classified === undefined
            ? { note: 'Classification time not recorded: the 24-hour limit from awareness is shown.' }
            : {}),
        },
        {
          ...base,
          obligation: 'Intermediate report (Art. 5(1)(b) RTS 2025/301)',
          startsFrom: 'submission of the initial notification',
          startAt: initial,
          dueAt: intermediate,
          rule: 'At the latest within 72 hours from the submission of the initial notification.',
          note: 'Shown from the latest the initial notification can be submitted.',
        },
        {
          ...base,
          obligation: 'Final report (Art. 5(1)(c) RTS 2025/301)',
          startsFrom: 'submission of the (latest updated) intermediate report',
          startAt: intermediate,
          dueAt: addMonthsIso(intermediate, 1),
          rule: 'No later than one month after the intermediate report or its latest update.',
          note: 'Shown from the latest the intermediate report can be submitted; an updated intermediate report moves it.',
        },
      ];
    }
    case 'sec-8k': {
      const determined = c.materialityDeterminedAt;
      const from = determined ?? aware;
      return [
        {
          jurisdiction: 'US SEC',
          obligation: 'Form 8-K Item 1.05 (material cybersecurity incident)',
          startsFrom:
            determined === undefined
              ? `materiality determination (${EARLIEST})`
              : 'materiality determination',
          startAt: from,
          dueAt: secDue(from),
          rule: 'Within four business days after the registrant determines the incident is material; the determination is to be made without unreasonable delay after discovery.',
          citation: 'https://www.sec.gov/files/form8-k.pdf',
          note: 'Business days counted on the New York calendar, skipping Saturdays, Sundays and observed US federal holidays (not ad hoc closures); due at 5:30 p.m. Eastern, the EDGAR same-day cut-off (17 CFR 232.13(a)(2)).',
        },
      ];
    }
    case 'hipaa':
      return [
        {
          jurisdiction: 'US HIPAA',
          obligation:
            'Notify affected individuals (45 CFR 164.404); HHS at the same time when 500 or more are affected (164.408)',
          startsFrom: 'discovery of the breach of unsecured PHI',
          startAt: aware,
          dueAt: addHoursIso(aware, 60 * 24),
          rule: 'Without unreasonable delay and in no case later than 60 calendar days after discovery.',
          citation: 'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D',
        },
      ];
    case 'au-ndb':
      return [
        {
          jurisdiction: 'Australia NDB',
          obligation: 'Complete the assessment of a suspected eligible data breach (Privacy Act 1988 s 26WH)',
          startsFrom: 'awareness of reasonable grounds to suspect an eligible data breach',
          startAt: aware,
          dueAt: addHoursIso(aware, 30 * 24),
          rule: 'Take all reasonable steps to complete a reasonable and expeditious assessment within 30 days; notify as soon as practicable once there are reasonable grounds to believe (s 26WK).',
          citation: 'https://www.legislation.gov.au/C2004A03712/latest/text',
        },
      ];
    case 'nydfs-500':
      return [
        {
          jurisdiction: 'US NYDFS',
          obligation: 'Notify the Superintendent (23 NYCRR 500.17(a))',
          startsFrom: `determination that a cybersecurity incident occurred (${EARLIEST})`,
          startAt: aware,
          dueAt: addHoursIso(aware, 72),
          rule: 'As promptly as possible but in no event later than 72 hours after determining that a cybersecurity incident has occurred.',
          citation: 'https://www.law.cornell.edu/regulations/new-york/23-NYCRR-500.17',
        },
      ];
  }
}

/**
 * The notification deadlines for the configured jurisdictions, in configuration order, computed from the
 * recorded times only. Every row carries its citation and is marked as guidance for counsel.
 */
export function notificationClocks(c: ClockInputs): ClockRow[] {
  const zone = c.timeZone;
  return c.jurisdictions.flatMap((j) =>
    rowsFor(j, c).map((r) => ({
      ...r,
      dueLocal: zone !== undefined && r.dueAt !== null ? formatInZone(r.dueAt, zone) : null,
      note: r.note === undefined ? GUIDANCE : `${r.note} ${GUIDANCE}`,
    })),
  );
}
