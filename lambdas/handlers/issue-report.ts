import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { evidenceConfig } from '../core/evidence/env-config';
import { issueReport } from '../core/report/issue';
import { renderReport } from '../core/report/render-report';
import { readReportConfig } from '../core/report/report-env';
import { QuarantineId } from '../core/schemas/ids';
import { ledgerFromEnv } from './ledger-env';

const logger = new Logger({ serviceName: 'sequester-issue-report' });

/**
 * Workflow task input: after sealing (`initial`) and after the late activity pass (`late`).
 * @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "pass": "late" }
 */
export const ReportTaskInput = z.looseObject({
  quarantineId: QuarantineId,
  pass: z.optional(z.enum(['initial', 'late'])),
});

// Built on the first invocation: the environment is validated there, with the handler's error handling.
let deps: { s3: S3Client; ledger: ReturnType<typeof ledgerFromEnv>['ledger'] } | undefined;

/**
 * Step Functions task: the breach report, built from the ledger record and the sealed inputs, locked in
 * the vault as report.json, .md and .html; a new version only when the inputs changed. It reads and
 * writes only the responder's ledger and vault, never the instance's account.
 */
export const handler = async (event: unknown) => {
  const { quarantineId, pass } = parseOrThrow(ReportTaskInput, event);
  const cfg = evidenceConfig();
  const reportConfig = readReportConfig();
  deps ??= {
    s3: new S3Client({
      region: cfg.region,
      maxAttempts: 8,
      retryMode: 'adaptive',
      forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined,
    }),
    ledger: ledgerFromEnv().ledger,
  };
  const out = await issueReport(deps.s3, deps.ledger, quarantineId, cfg, reportConfig, renderReport);
  const html = out.version.objects.find((o) => o.name === 'report.html');
  logger.info('report', { quarantineId, pass, status: out.status, html });
  return { quarantineId, status: out.status, issuedAt: out.version.at };
};
