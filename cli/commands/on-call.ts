import type { Command } from 'commander';
import * as z from 'zod/mini';
import { QuarantineState } from '../../lambdas/core/ledger/record';
import { AccountId, IncidentId, InstanceId, QuarantineId, Reason } from '../../lambdas/core/schemas/ids';
import type { ApiClient } from '../api-client';
import type { CliContext } from '../context';
import { CheckFailedError, NotFoundError } from '../errors';
import type { WaitTarget } from '../follow-progress';
import type { ContextOf } from '../main';
import { QuarantineView, renderQuarantine, renderQuarantineList } from '../quarantine-view';
import { parseArg, parsePositiveInt } from '../validate';

const API_HELP = 'on-call API URL (default: env SEQUESTER_API_URL, the stack output apiUrl)';

/** What POST /quarantines answers: the quarantine (or the dry-run plan). */
const Accepted = z.looseObject({ quarantineId: z.optional(z.string()), state: z.optional(z.string()) });
const Page = z.looseObject({ items: z.array(QuarantineView), nextToken: z.optional(z.string()) });

/** The SigV4 signer and its SHA-256 load with the first API call, not with every command. */
async function apiClient(ctx: CliContext, flag: string | undefined): Promise<ApiClient> {
  const { createApiClient } = await import('../api-client');
  return createApiClient(ctx, flag);
}

async function getQuarantine(api: ApiClient, id: string): Promise<QuarantineView> {
  const res = await api.request('GET', `/quarantines/${encodeURIComponent(id)}`);
  return QuarantineView.parse(res.body);
}

async function listAll(api: ApiClient, query: Record<string, string>): Promise<QuarantineView[]> {
  const items: QuarantineView[] = [];
  let nextToken: string | undefined;
  do {
    const qs = new URLSearchParams({ ...query, ...(nextToken === undefined ? {} : { nextToken }) });
    const page = Page.parse((await api.request('GET', `/quarantines?${qs}`)).body);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  // Newest first: the ledger scan has no order.
  return items.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

/** On-call commands: they call the deployed HTTP API, signed with SigV4. */
export function registerOnCallCommands(program: Command, contextOf: ContextOf): void {
  program
    .command('quarantine')
    .description('isolate an instance and preserve its disks; prints the quarantine id')
    .argument('<instance-id>', 'EC2 instance id (i-...)')
    .requiredOption('--reason <text>', 'why (recorded in the ledger)')
    .option('--incident <id>', 'incident id (default: generated)')
    .option('--account <id>', 'account of the instance (default: the API account)')
    .option('--dry-run', 'show what would change; change nothing')
    .option('--stop', 'stop the instance after isolation (destroys memory evidence)')
    .option('--wait [until]', 'follow progress until "isolated" or "sealed" (default: sealed)')
    .option('--timeout <seconds>', 'give up waiting after this long', '3600')
    .option('--poll <seconds>', 'seconds between status checks while waiting', '2')
    .option('--api <url>', API_HELP)
    .action(async (instanceArg: string, o: Record<string, string | boolean | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = {
        instanceId: parseArg(InstanceId, instanceArg, '<instance-id>'),
        reason: parseArg(Reason, o.reason, '--reason'),
        ...(o.incident === undefined ? {} : { incidentId: parseArg(IncidentId, o.incident, '--incident') }),
        ...(o.account === undefined ? {} : { accountId: parseArg(AccountId, o.account, '--account') }),
        ...(ctx.opts.region === undefined ? {} : { region: ctx.opts.region }),
        ...(o.dryRun === true ? { dryRun: true } : {}),
        ...(o.stop === true ? { stopInstance: true } : {}),
      };
      const until =
        o.wait === undefined
          ? undefined
          : parseArg(z.enum(['isolated', 'sealed']), o.wait === true ? 'sealed' : o.wait, '--wait');
      const timeoutMs = parsePositiveInt(String(o.timeout), '--timeout', 86_400) * 1000;
      const intervalMs = parsePositiveInt(String(o.poll), '--poll', 600) * 1000;
      const api = await apiClient(ctx, o.api as string | undefined);
      const res = await api.request('POST', '/quarantines', body);
      const accepted = Accepted.parse(res.body);
      if (until === undefined || o.dryRun === true || accepted.quarantineId === undefined) {
        ctx.print(res.body, () =>
          accepted.quarantineId === undefined
            ? JSON.stringify(res.body, null, 2)
            : `${accepted.quarantineId}${res.status === 200 ? ' (already quarantined: joined)' : ''}`,
        );
        return;
      }
      const id = accepted.quarantineId;
      ctx.note(`${id}: following progress until ${until}`);
      const { followQuarantine } = await import('../follow-progress');
      const q = await followQuarantine(ctx, () => getQuarantine(api, id), {
        until: until as WaitTarget,
        intervalMs,
        timeoutMs,
      });
      ctx.print(q, () => renderQuarantine(q));
      if (q.state === 'failed' || q.state === 'refused')
        throw new CheckFailedError(
          `quarantine ${id} ${q.state}${q.failure ? ` at ${q.failure.step}: ${q.failure.message}` : ''}`,
        );
    });

  program
    .command('status')
    .description('state and timeline of a quarantine, by quarantine id or instance id')
    .argument('<id>', 'quarantine id (q-...) or instance id (i-...)')
    .option('--api <url>', API_HELP)
    .action(async (idArg: string, o: { api?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const byInstance = idArg.startsWith('i-');
      const id = byInstance ? parseArg(InstanceId, idArg, '<id>') : parseArg(QuarantineId, idArg, '<id>');
      const api = await apiClient(ctx, o.api);
      const newest = byInstance ? (await listAll(api, { instanceId: id }))[0]?.quarantineId : id;
      if (newest === undefined) throw new NotFoundError(`no quarantine found for instance ${id}`, 'instance');
      const q = await getQuarantine(api, newest);
      ctx.print(q, () => renderQuarantine(q));
    });

  program
    .command('list')
    .description('quarantines, newest first')
    .option('--state <state>', `only this state (${QuarantineState.options.join(', ')})`)
    .option('--api <url>', API_HELP)
    .action(async (o: { state?: string; api?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const state = o.state === undefined ? undefined : parseArg(QuarantineState, o.state, '--state');
      const items = await listAll(await apiClient(ctx, o.api), state === undefined ? {} : { state });
      ctx.print({ items }, () => renderQuarantineList(items));
    });

  program
    .command('release')
    .description('undo the isolation (evidence is never deleted); needs sealed evidence unless --force')
    .argument('<quarantine-id>', 'quarantine id (q-...)')
    .requiredOption('--reason <text>', 'why (recorded in the ledger)')
    .option('--force', 'release before the evidence is sealed')
    .option('--api <url>', API_HELP)
    .action(async (idArg: string, o: { reason: string; force?: boolean; api?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const id = parseArg(QuarantineId, idArg, '<quarantine-id>');
      const body = {
        reason: parseArg(Reason, o.reason, '--reason'),
        ...(o.force === true ? { force: true } : {}),
      };
      const res = await (await apiClient(ctx, o.api)).request('POST', `/quarantines/${id}/release`, body);
      const q = QuarantineView.safeParse(res.body);
      ctx.print(res.body, () => (q.success ? renderQuarantine(q.data) : JSON.stringify(res.body, null, 2)));
    });
}
