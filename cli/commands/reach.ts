import type { Command } from 'commander';
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
 * `sequester reach --authz FILE`: what a session could read, evaluated offline on a snapshot set (the
 * format reach collects, see lambdas/core/investigation/reach/snapshot-set.ts): edit a policy and ask again.
 */
export function registerReachCommand(program: Command, contextOf: ContextOf): void {
  program
    .command('reach')
    .description('evaluate which data stores a session could read, from a local authorization snapshot set')
    .requiredOption('--authz <file>', 'reach snapshot set (JSON)')
    .option('--depth <n>', 'AssumeRole hops to follow (default 1)')
    .action(async (o: { authz: string; depth?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      // The evaluator and its snapshot schemas load with the command (see iam.ts).
      const [{ evaluateReach }, { parseReachSnapshotSet }] = await Promise.all([
        import('../../lambdas/core/investigation/reach/evaluate-reach'),
        import('../../lambdas/core/investigation/reach/snapshot-set'),
      ]);
      const set = parseReachSnapshotSet(await readJsonFile(o.authz, '--authz'));
      const depth = o.depth === undefined ? undefined : Number(o.depth);
      const report = evaluateReach(set, depth === undefined || Number.isNaN(depth) ? {} : { depth });
      ctx.print(report, () => renderReach(report));
    });
}
