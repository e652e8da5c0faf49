import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../../lambdas/core/errors';
import type { ContextOf } from '../main';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The query's field names as the user typed them, so an error names the flag. */
const FLAGS: Readonly<Record<string, string>> = {
  principalId: '--principal-id',
  instanceAddresses: '--instance-address',
  since: '--since',
  until: '--until',
};

interface Options {
  trailDir: string;
  principalId: string;
  instanceAddress: string[];
  since?: string;
  until?: string;
}

/**
 * `sequester activity --trail-dir DIR --principal-id ROLEID:INSTANCEID`: what an instance session's
 * credentials did, from a local copy of a CloudTrail trail (`aws s3 sync s3://trail-bucket DIR`), by the
 * same analysis the workflow runs on the trail bucket. Default window: the 7 days before --until (now).
 */
export function registerActivityCommand(program: Command, contextOf: ContextOf): void {
  program
    .command('activity')
    .description("report what an instance session's credentials did, from a local copy of a CloudTrail trail")
    .requiredOption('--trail-dir <dir>', 'folder holding AWSLogs/ (a copy of the trail bucket or prefix)')
    .requiredOption('--principal-id <id>', 'the instance session: <role id>:<instance id> (AROA...:i-...)')
    .option(
      '--instance-address <ip>',
      "one of the instance's addresses (private, public, Elastic IP, NAT gateway); repeatable",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--since <iso>', 'start of the window (default: 7 days before --until)')
    .option('--until <iso>', 'end of the window (default: now)')
    .action(async (o: Options, cmd: Command) => {
      const ctx = contextOf(cmd);
      const info = await stat(o.trailDir).catch(() => undefined);
      if (info?.isDirectory() !== true)
        throw new InvalidInputError(`--trail-dir: not a folder: ${o.trailDir}`, '--trail-dir');
      const until = o.until ?? new Date().toISOString();
      const end = Date.parse(until);
      const since = o.since ?? new Date((Number.isNaN(end) ? Date.now() : end) - 7 * DAY_MS).toISOString();
      const [{ collectActivity }, { LocalTrailSource }, { renderActivity }] = await Promise.all([
        import('../../lambdas/core/investigation/activity/collect'),
        import('../../lambdas/core/investigation/activity/local-source'),
        import('../activity/render'),
      ]);
      const query = { principalId: o.principalId, instanceAddresses: o.instanceAddress, since, until };
      const report = await collectActivity(new LocalTrailSource(o.trailDir), query).catch((err: unknown) => {
        if (!(err instanceof InvalidInputError)) throw err;
        const flag = FLAGS[err.field.split('.')[0] ?? ''] ?? err.field;
        throw new InvalidInputError(err.message.replace(err.field, flag), flag, { cause: err });
      });
      ctx.print(report, () => renderActivity(report));
    });
}
