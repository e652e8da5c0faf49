import type { Command } from 'commander';
import type { ContextOf } from '../main';
import { readJsonFile } from '../read-json-file';

/**
 * `sequester iam evaluate FILE`: AWS's decision for every request of an authorization snapshot, computed
 * locally by the policy evaluator (no AWS calls). Prints `{"results":[...]}`; problems the IAM
 * service data reveals (unknown actions, condition keys, resource shapes) go to stderr as warnings and do
 * not change the exit code: the decisions are still what AWS would answer for those policies.
 */
export function registerIamCommands(program: Command, contextOf: ContextOf): void {
  const iam = program.command('iam').description('IAM policy tools that run locally');
  iam
    .command('evaluate')
    .description('decide every request of an authorization snapshot as AWS would (prints JSON)')
    .argument('<file>', 'authorization snapshot (JSON, version 1; see README)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      // Loaded here, not at the top: every other command would otherwise compile and load the evaluator
      // and the IAM service data on start-up.
      const { evaluate, parseSnapshot, validateSnapshot } = await import('../../policies/evaluation');
      const snapshot = parseSnapshot(await readJsonFile(file, 'FILE'));
      const results = evaluate(snapshot);
      // Always on stderr (also with --json, unlike notes): stdout stays one parseable document.
      for (const p of await validateSnapshot(snapshot)) {
        process.stderr.write(`sequester: warning: ${p.path}: ${p.message.replace(/\s+/g, ' ')}\n`);
      }
      const out = { results };
      ctx.print(out, () => JSON.stringify(out, null, 2));
    });
}
