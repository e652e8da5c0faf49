import type { Command } from 'commander';
import type { ContextOf } from '../main';
import { readJsonFile } from '../read-json-file';

/**
 * `sequester intake --event FILE`: the GuardDuty intake's decision for one finding event, computed
 * locally by the same function the Lambda runs, without touching AWS. Always JSON (one line with --json).
 */
export function registerIntakeCommand(program: Command, contextOf: ContextOf): void {
  program
    .command('intake')
    .description('decide locally what the GuardDuty intake would do with a finding event (prints JSON)')
    .requiredOption('--event <file>', 'EventBridge GuardDuty Finding event (JSON)')
    .option('--config <file>', 'intake config (JSON: severityFloor, allowTypePrefixes, ...)')
    .action(async (o: { event: string; config?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const event = await readJsonFile(o.event, '--event');
      const config = o.config === undefined ? undefined : await readJsonFile(o.config, '--config');
      const { decideIntake } = await import('../../lambdas/core/intake/decide');
      const decision = decideIntake(event, config);
      ctx.print(decision, () => JSON.stringify(decision, null, 2));
    });
}
