import type { Command } from 'commander';
import { InvalidInputError } from '../../lambdas/core/errors';
import { escapeUntrusted } from '../../lambdas/core/intake/untrusted-text';
import type { ReachReport } from '../../lambdas/core/investigation/reach/report';
import type { ContextOf } from '../main';
import { readJsonFile } from '../read-json-file';
import { renderTable } from '../table';

// Names and tags come from the compromised account: escaped before they reach a terminal.
const text = (v: string) => escapeUntrusted(v, 120) ?? '';

/** One row per store and role that reads it, the three contexts side by side, then the totals. */
export function renderReach(report: ReachReport): string {
  const rows = report.stores.map((s) => ({
    store: text(s.arn),
    type: s.type,
    region: s.region,
    via: text(s.via.slice(s.via.lastIndexOf('/') + 1)),
    classification: text(
      Object.entries(s.classification)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ),
    instance: s.fromInstance.readable,
    internet: s.fromInternet.readable,
    isolated: s.afterIsolation.readable,
  }));
  const columns = ['store', 'type', 'region', 'via', 'classification', 'instance', 'internet', 'isolated'];
  const s = report.summary;
  const lines = [
    renderTable(rows, columns),
    '',
    `stores: ${s.stores}, readable before isolation: ${s.reachableBeforeIsolation} (${s.classifiedReachable} classified), from the internet: ${s.reachableFromInternet}, after isolation: ${s.reachableAfterIsolation}, conditional: ${s.conditional}, unknown: ${s.unknown}`,
    ...report.chainedRoles.map(
      (r) =>
        `chained role: ${text(r.roleArn)} (depth ${r.depth}): instance ${r.assume.fromInstance}, after isolation ${r.assume.afterIsolation}`,
    ),
    ...report.alarms.map((a) => `ALARM: ${text(a)}`),
    ...report.unknown.map((u) => `unknown: ${text(u.what)}: ${text(u.reason)}`),
  ];
  return lines.join('\n');
}

/**
 * `sequester reach <incident>/<instance>`: the reach.json the workflow sealed for that quarantine, read
 * from the vault with the reviewer's credentials and checked against the ledger's SHA-256.
 * `sequester reach --authz FILE`: what a session could read, evaluated offline on a snapshot set (the
 * format reach collects, see lambdas/core/investigation/reach/snapshot-set.ts): edit a policy and ask again.
 */
export function registerReachCommand(program: Command, contextOf: ContextOf): void {
  program
    .command('reach')
    .description(
      'which data stores a quarantined instance could read: from the vault (<incident>/<instance>), or offline from a snapshot set (--authz)',
    )
    .argument('[quarantine]', '<incident>/<instance-id> or <incident>/<quarantine-id>')
    .option('--authz <file>', 'reach snapshot set (JSON), evaluated offline')
    .option('--depth <n>', 'AssumeRole hops to follow with --authz (default 1)')
    .option('--bucket <name>', 'evidence vault bucket (default: env SEQUESTER_VAULT_BUCKET)')
    .option('--ledger-table <name>', 'ledger table (default: env SEQUESTER_LEDGER_TABLE)')
    .action(async (ref: string | undefined, o: ReachOpts, cmd: Command) => {
      const ctx = contextOf(cmd);
      if ((ref === undefined) === (o.authz === undefined))
        throw new InvalidInputError('give either <incident>/<instance> or --authz FILE', '<quarantine>');
      if (ref !== undefined) {
        const table = o.ledgerTable ?? process.env.SEQUESTER_LEDGER_TABLE;
        if (table === undefined || table === '')
          throw new InvalidInputError(
            '--ledger-table: no ledger table; pass --ledger-table or set SEQUESTER_LEDGER_TABLE',
            '--ledger-table',
          );
        const [{ createEvidenceClients, createLedgerClients }, { vaultFrom }, { readVaultReach }] =
          await Promise.all([
            import('../../lambdas/core/clients'),
            import('../evidence/locate'),
            import('../reach/vault-reach'),
          ]);
        const v = vaultFrom({ ...(o.bucket === undefined ? {} : { bucket: o.bucket }) });
        const opts = await ctx.clientOptions();
        const found = await readVaultReach(
          createEvidenceClients(opts).s3,
          createLedgerClients(opts, table),
          v.bucket,
          ref,
        );
        ctx.note(
          `${found.quarantineId}: s3://${v.bucket}/${found.object.key} (SHA-256 ${found.object.sha256}, as the ledger records it)`,
        );
        ctx.print(found.report, () => renderReach(found.report));
        return;
      }
      // The evaluator and its snapshot schemas load with the command (see iam.ts).
      const [{ evaluateReach }, { parseReachSnapshotSet }] = await Promise.all([
        import('../../lambdas/core/investigation/reach/evaluate-reach'),
        import('../../lambdas/core/investigation/reach/snapshot-set'),
      ]);
      const set = parseReachSnapshotSet(await readJsonFile(o.authz as string, '--authz'));
      const depth = o.depth === undefined ? undefined : Number(o.depth);
      const report = evaluateReach(set, depth === undefined || Number.isNaN(depth) ? {} : { depth });
      ctx.print(report, () => renderReach(report));
    });
}

type ReachOpts = { authz?: string; depth?: string; bucket?: string; ledgerTable?: string };
