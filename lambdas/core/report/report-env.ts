import * as z from 'zod/mini';
import { parseOrThrow } from '../errors';
import { Jurisdiction, type ReportConfig } from './inputs';

const list = z.pipe(
  z.string(),
  z.transform((s) =>
    s
      .split(',')
      .map((j) => j.trim())
      .filter((j) => j !== ''),
  ),
);

/**
 * The report step's settings, from its environment (the stack sets them from the deployment config).
 * Jurisdictions are comma-separated; none set means no notification clocks are computed.
 * @example { "REPORT_ORGANISATION": "Example Corp", "REPORT_JURISDICTIONS": "gdpr,nis2,sec-8k",
 *   "REPORT_PRIVILEGE_BANNER": "Privileged & confidential: prepared at the direction of counsel",
 *   "REPORT_TIME_ZONE": "Europe/Berlin" }
 */
export const ReportEnv = z.object({
  REPORT_ORGANISATION: z._default(z.string(), ''),
  REPORT_JURISDICTIONS: z._default(z.pipe(list, z.array(Jurisdiction)), []),
  REPORT_PRIVILEGE_BANNER: z.optional(z.string().check(z.minLength(1))),
  REPORT_TIME_ZONE: z.optional(z.string().check(z.minLength(1))),
});

export function readReportConfig(env: NodeJS.ProcessEnv = process.env): ReportConfig {
  const e = parseOrThrow(ReportEnv, env);
  return {
    organisation: e.REPORT_ORGANISATION,
    jurisdictions: e.REPORT_JURISDICTIONS,
    ...(e.REPORT_PRIVILEGE_BANNER === undefined ? {} : { privilegeBanner: e.REPORT_PRIVILEGE_BANNER }),
    ...(e.REPORT_TIME_ZONE === undefined ? {} : { timeZone: e.REPORT_TIME_ZONE }),
  };
}
