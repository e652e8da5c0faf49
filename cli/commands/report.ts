import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import * as z from 'zod/mini';
import { InvalidInputError } from '../../lambdas/core/errors';
import type { ContextOf } from '../main';
import { parseArg } from '../validate';

/** What `--version` after `report` becomes (cli/main.ts reportVersionFlag says why). */
export const REPORT_VERSION_FLAG = '--report-version';

type ReportOpts = {
  format: string;
  out?: string;
  reportVersion?: string;
  bucket?: string;
  prefix?: string;
  ledgerTable?: string;
};

/**
 * `sequester report <incident>/<instance>`: the sealed breach report, verified against the ledger,
 * written to --out or printed. Reviewer credentials: it reads the vault and the ledger, nothing else.
 */
export function registerReportCommand(program: Command, contextOf: ContextOf): void {
  program
    .command('report')
    .description('fetch the sealed breach report of a quarantined instance, verified against the ledger')
    .argument('<evidence>', '<incident>/<instance-id> or <incident>/<quarantine-id>')
    .option('--format <format>', 'html, md or json', 'html')
    .option('--out <file>', 'write the report to this file (default: print it)')
    .addOption(new Option(`${REPORT_VERSION_FLAG} <id>`).hideHelp())
    .addHelpText(
      'after',
      '\nAlso:\n  --version <id>         an S3 version id of the report (default: the latest issued)',
    )
    .option('--bucket <name>', 'evidence vault bucket (default: env SEQUESTER_VAULT_BUCKET)')
    .option(
      '--prefix <prefix>',
      'evidence key prefix (default: env SEQUESTER_EVIDENCE_PREFIX or "evidence/")',
    )
    .option('--ledger-table <name>', 'ledger table (default: env SEQUESTER_LEDGER_TABLE)')
    .action(async (ref: string, o: ReportOpts, cmd: Command) => {
      const ctx = contextOf(cmd);
      const format = parseArg(
        z.enum(['html', 'md', 'json'], { error: 'must be html, md or json' }),
        o.format,
        '--format',
      );
      const versionId =
        o.reportVersion === undefined
          ? undefined
          : parseArg(z.string().check(z.minLength(1), z.maxLength(1024)), o.reportVersion, '--version');
      const table = o.ledgerTable ?? process.env.SEQUESTER_LEDGER_TABLE;
      if (table === undefined || table === '')
        throw new InvalidInputError(
          '--ledger-table: no ledger table; pass --ledger-table or set SEQUESTER_LEDGER_TABLE',
          '--ledger-table',
        );
      // Clients and the vault code load with the command, not with every `sequester` start.
      const [{ createEvidenceClients, createLedgerClients }, { locateEvidence, vaultFrom }, { fetchReport }] =
        await Promise.all([
          import('../../lambdas/core/clients'),
          import('../evidence/locate'),
          import('../report/fetch-report'),
        ]);
      const v = vaultFrom(o);
      const opts = await ctx.clientOptions();
      const { s3 } = createEvidenceClients(opts);
      const found = await locateEvidence(s3, v, ref);
      const report = await fetchReport(s3, createLedgerClients(opts, table), {
        bucket: v.bucket,
        quarantineId: found.manifest.quarantineId,
        format,
        ...(versionId === undefined ? {} : { versionId }),
      });
      const { content, ...meta } = report;
      const summary = { ...meta, format, verified: true, ...(o.out === undefined ? {} : { out: o.out }) };
      ctx.note(
        `verified: ${report.key} version ${report.versionId ?? '-'} (${report.version} of ${report.versions}, issued ${report.issuedAt}) matches the ledger's SHA-256 ${report.sha256}`,
      );
      if (o.out === undefined) {
        process.stdout.write(content);
        return;
      }
      writeFileSync(o.out, content);
      ctx.print(summary, () => `wrote ${o.out} (${content.length} bytes)`);
    });
}
