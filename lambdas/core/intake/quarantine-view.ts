import type { QuarantineRecord } from '../ledger/record';
import { investigationOf } from '../workflow/notification';

/**
 * Where a quarantine's evidence stands, from the evidence pipeline's own record (`evidence`). The
 * quarantine state moves on after sealing (release, a later failure), so it cannot say whether the
 * evidence was sealed: a manifest recorded under `evidence.manifest` can (seal.ts writes it with the
 * move to evidence_sealed, in one conditional update).
 */
function evidenceStatus(r: QuarantineRecord): string {
  const manifest = r.evidence?.manifest as { key?: unknown } | undefined;
  if (typeof manifest?.key === 'string') return 'sealed';
  if (r.state === 'evidence_pending') return 'pending';
  if (r.evidence !== undefined) return 'partial';
  return 'not-started';
}

/**
 * A quarantine as the API shows it: state, the timeline of actions with actor and time, evidence
 * status and vault locations (whatever the evidence pipeline recorded under `evidence`), and links.
 * Pre-state and changes stay in the ledger: they are for release, not for readers of the API.
 */
export function quarantineView(r: QuarantineRecord, basePath = '') {
  const summary = quarantineSummary(r, basePath);
  return {
    ...summary,
    trigger: r.trigger,
    ...(r.networkCutAt === undefined ? {} : { networkCutAt: r.networkCutAt }),
    ...(r.isolatedAt === undefined ? {} : { isolatedAt: r.isolatedAt }),
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    evidence: { ...summary.evidence, ...(r.evidence ?? {}) },
    ...investigationOf(r),
    timeline: r.actions,
    links: { ...summary.links, release: `${summary.links.self}/release` },
  };
}

/** One line of a list page: enough to pick a quarantine, not its whole timeline. */
export function quarantineSummary(r: QuarantineRecord, basePath = '') {
  return {
    quarantineId: r.quarantineId,
    state: r.state,
    instance: r.instance,
    incidentId: r.incidentId,
    reason: r.reason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    evidence: { status: evidenceStatus(r) },
    links: { self: `${basePath}/quarantines/${r.quarantineId}` },
  };
}
