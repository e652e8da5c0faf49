import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../../lambdas/core/errors';
import type { LocalFlows } from '../../lambdas/core/investigation/flow-logs/local-flows';
import { Cidr } from '../../lambdas/core/schemas/ids';
import type { ContextOf } from '../main';
import { formatBytes } from '../table';
import { parseArg } from '../validate';

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
  flowDir?: string;
  vpcCidr: string[];
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
async function flowsOf(o: Options, q: { instanceAddresses: string[]; since: string; until: string }) {
  const dir = o.flowDir as string;
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory() !== true)
    throw new InvalidInputError(`--flow-dir: not a folder: ${dir}`, '--flow-dir');
  if (q.instanceAddresses.length === 0)
    throw new InvalidInputError(
      '--instance-address: --flow-dir needs the instance addresses',
      '--instance-address',
    );
  const vpcCidrs = o.vpcCidr.map((c) => parseArg(Cidr, c, '--vpc-cidr'));
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const { localFlowVolume } = await import('../../lambdas/core/investigation/flow-logs/local-flows');
  return localFlowVolume(dir, {
    instanceAddresses: q.instanceAddresses,
    vpcCidrs,
    peeredCidrs: [],
    awsCidrs: [],
    since: seconds(q.since),
    until: seconds(q.until),
  });
}

function renderFlows(f: LocalFlows & { s3BytesRead: number | null; comparison: string }): string {
  const b = f.volume.bytesOut;
  const fmt = (v: number | 'unknown') => (v === 'unknown' ? 'unknown' : formatBytes(v));
  return [
    `flows:        ${f.files} files (${f.malformed.length} malformed, skipped)${f.volume.reason ? `: ${f.volume.reason}` : ''}`,
    `bytes out:    internet ${fmt(b.internet)}, AWS services ${fmt(b['aws-service'])}, peered/transit ${fmt(b['peered-transit'])}, inside the VPC ${fmt(b.vpc)}`,
    `S3 read vs out: ${f.s3BytesRead === null ? 'unknown' : formatBytes(f.s3BytesRead)} read, ${fmt(b.outsideVpc)} left the VPC: ${f.comparison}`,
  ].join('\n');
}

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
    .option('--flow-dir <dir>', 'a copy of VPC flow log files (S3 layout): bytes that left the instance')
    .option(
      '--vpc-cidr <cidr>',
      "the instance VPC's CIDR blocks, to tell traffic inside the VPC from the rest; repeatable",
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
      const query = { principalId: o.principalId, instanceAddresses: o.instanceAddress, since, until };
      // The analysis loads with the command, not with every `sequester` start.
      const [{ collectActivity }, { LocalTrailSource }, { renderActivity }, { egressCheck }] =
        await Promise.all([
          import('../../lambdas/core/investigation/activity/collect'),
          import('../../lambdas/core/investigation/activity/local-source'),
          import('../activity/render'),
          import('../../lambdas/core/investigation/flow-logs/egress-check'),
        ]);
      const report = await collectActivity(new LocalTrailSource(o.trailDir), query).catch((err: unknown) => {
        if (!(err instanceof InvalidInputError)) throw err;
        const flag = FLAGS[err.field.split('.')[0] ?? ''] ?? err.field;
        throw new InvalidInputError(err.message.replace(err.field, flag), flag, { cause: err });
      });
      if (o.flowDir === undefined) {
        ctx.print(report, () => renderActivity(report));
        return;
      }
      const flows = await flowsOf(o, query);
      // S3 bytes the session read (CloudTrail data events) against the bytes that left (flows): the
      // same check the workflow seals in flows-<pass>.json.
      const { s3BytesRead, comparison } = egressCheck(report, flows.volume);
      const out = { ...report, flows: { ...flows, s3BytesRead, comparison } };
      ctx.print(out, () => `${renderActivity(report)}\n\n${renderFlows(out.flows)}`);
    });
}
