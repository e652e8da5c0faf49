import * as z from 'zod/mini';
import { escapeUntrusted } from '../lambdas/core/intake/untrusted-text';
import { LedgerAction, QuarantineState } from '../lambdas/core/ledger/record';
import { renderTable } from './table';

/**
 * A quarantine as the API returns it: the ledger record's public fields. Loose on purpose: the API may
 * add fields (evidence locations, status URLs) and the CLI shows what it knows.
 */
export const QuarantineView = z.looseObject({
  quarantineId: z.string(),
  state: QuarantineState,
  instance: z.looseObject({ instanceId: z.string(), region: z.string(), accountId: z.optional(z.string()) }),
  incidentId: z.optional(z.string()),
  reason: z.optional(z.string()),
  createdAt: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
  networkCutAt: z.optional(z.string()),
  isolatedAt: z.optional(z.string()),
  /** The ledger's append-only timeline (GET /quarantines/{id}; list items omit it). */
  timeline: z.optional(z.array(LedgerAction)),
  failure: z.optional(z.object({ step: z.string(), message: z.string() })),
  evidence: z.optional(z.record(z.string(), z.unknown())),
  /** The investigation's numbers (lambdas/core/workflow/notification.ts investigationOf). */
  reach: z.optional(z.looseObject({ status: z.string() })),
  activity: z.optional(z.looseObject({ status: z.string() })),
});
export type QuarantineView = z.infer<typeof QuarantineView>;

/** States after which nothing more happens without a person. */
export const SETTLED_STATES: ReadonlyArray<QuarantineState> = [
  'evidence_sealed',
  'released',
  'failed',
  'refused',
];

export function renderQuarantine(q: QuarantineView): string {
  const head = [
    `quarantine  ${q.quarantineId}`,
    `state       ${q.state}`,
    `instance    ${q.instance.instanceId} (${q.instance.region}${q.instance.accountId ? `, ${q.instance.accountId}` : ''})`,
    ...(q.incidentId === undefined ? [] : [`incident    ${q.incidentId}`]),
    ...(q.reason === undefined ? [] : [`reason      ${q.reason}`]),
    ...(q.networkCutAt === undefined ? [] : [`network cut ${q.networkCutAt}`]),
    ...(q.failure === undefined ? [] : [`failure     ${q.failure.step}: ${q.failure.message}`]),
    ...(q.evidence === undefined ? [] : [`evidence    ${evidenceLine(q.evidence)}`]),
    ...(q.reach === undefined ? [] : [`reach       ${reachLine(q.reach)}`]),
    ...(q.activity === undefined ? [] : [`activity    ${activityLine(q.activity)}`]),
  ];
  const timeline = renderTable(
    (q.timeline ?? []).map((a) => ({ at: a.at, actor: a.actor, step: a.step, outcome: a.outcome })),
    ['at', 'actor', 'step', 'outcome'],
  );
  return `${head.join('\n')}\n\ntimeline\n${timeline}`;
}

const num = (v: unknown) => (typeof v === 'number' ? v : '?');
// Details quote AWS errors and trail sources, which can carry names from the compromised account.
const why = (o: Record<string, unknown>) =>
  `${String(o.status)}${typeof o.detail === 'string' ? `: ${escapeUntrusted(o.detail, 200) ?? ''}` : ''}`;

/** "3 stores reachable before isolation (2 classified), 0 after", or why it is unknown. */
function reachLine(r: Record<string, unknown>): string {
  if (r.status !== 'written') return why(r);
  const after = num(r.storesReachableAfterIsolation);
  return `${num(r.storesReachableBeforeIsolation)} stores reachable before isolation (${num(r.classifiedReachable)} classified), ${after} after${after === 0 ? '' : ' ALARM'}`;
}

function activityLine(a: Record<string, unknown>): string {
  if (a.status !== 'written') return why(a);
  return `${num(a.events)} events, ${num(a.touched)} data stores touched, ${num(a.other)} calls from elsewhere`;
}

function evidenceLine(e: Record<string, unknown>): string {
  const manifest = e.manifest as { key?: unknown } | undefined;
  const key = typeof manifest?.key === 'string' ? manifest.key : undefined;
  const where = typeof e.bucket === 'string' && key !== undefined ? ` s3://${e.bucket}/${key}` : '';
  return `${typeof e.status === 'string' ? e.status : 'unknown'}${where}`;
}

export function renderQuarantineList(items: ReadonlyArray<QuarantineView>): string {
  return renderTable(
    items.map((q) => ({
      quarantine: q.quarantineId,
      state: q.state,
      instance: q.instance.instanceId,
      region: q.instance.region,
      incident: q.incidentId ?? '',
      evidence: typeof q.evidence?.status === 'string' ? q.evidence.status : '',
      created: q.createdAt ?? '',
    })),
    ['quarantine', 'state', 'instance', 'region', 'incident', 'evidence', 'created'],
  );
}
