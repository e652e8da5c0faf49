import * as z from 'zod/mini';
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
  ];
  const timeline = renderTable(
    (q.timeline ?? []).map((a) => ({ at: a.at, actor: a.actor, step: a.step, outcome: a.outcome })),
    ['at', 'actor', 'step', 'outcome'],
  );
  return `${head.join('\n')}\n\ntimeline\n${timeline}`;
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
