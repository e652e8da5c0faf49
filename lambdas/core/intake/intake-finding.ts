import type { LedgerClients } from '../clients';
import { InvalidInputError } from '../errors';
import { claimQuarantine } from '../ledger/ledger';
import type { QuarantineRecord, QuarantineState } from '../ledger/record';
import { parseQuarantineRequest } from '../schemas/quarantine-request';
import { decideFinding, type IntakeDecision, requestFromDecision } from './decide';
import { parseFindingEvent } from './guardduty-event';
import type { IntakeConfig } from './intake-config';
import type { WorkflowStarter } from './workflow-starter';

/** Structured logging: the message is a constant, every value goes in `extra` (JSON-encoded by the logger). */
export interface IntakeLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface IntakeDeps {
  readonly ledger: LedgerClients;
  readonly starter: WorkflowStarter;
  readonly config: IntakeConfig;
  readonly logger?: IntakeLogger;
}

export type IntakeOutcome =
  | { readonly status: 'rejected'; readonly field: string; readonly message: string }
  | { readonly status: 'ignored'; readonly decision: IntakeDecision }
  | {
      readonly status: 'started' | 'joined';
      readonly decision: IntakeDecision;
      readonly quarantineId: string;
      readonly state: QuarantineState;
      readonly executionId?: string;
    };

/**
 * Handles one GuardDuty finding event: validate, decide, claim, start. An event that fails validation
 * is rejected before anything is claimed or started (a retry cannot fix it, so it is not thrown). A
 * duplicate, including GuardDuty re-publishing the finding with a higher service.count, joins the
 * quarantine that holds the instance. AWS errors are thrown so EventBridge's retry runs the whole
 * thing again, which is safe: the claim is conditional and the start is idempotent.
 */
export async function intakeFinding(deps: IntakeDeps, event: unknown): Promise<IntakeOutcome> {
  let decision: IntakeDecision;
  try {
    decision = decideFinding(parseFindingEvent(event).detail, deps.config);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    deps.logger?.warn('finding rejected', { field: err.field, error: err.message });
    return { status: 'rejected', field: err.field, message: err.message };
  }
  const log = { findingId: decision.findingId, type: decision.type, instance: decision.instance };
  if (decision.action === 'ignore') {
    deps.logger?.info('finding ignored', { ...log, reason: decision.reason, runtime: decision.runtime });
    return { status: 'ignored', decision };
  }
  const req = parseQuarantineRequest(requestFromDecision(decision, deps.config));
  const claim = await claimQuarantine(deps.ledger, req);
  const started = await startIfNeeded(deps.starter, claim.record, claim.created);
  const status = claim.created ? 'started' : 'joined';
  deps.logger?.info(claim.created ? 'quarantine started' : 'finding joined quarantine', {
    ...log,
    quarantineId: claim.record.quarantineId,
    count: decision.count,
    runtime: decision.runtime,
  });
  return {
    status,
    decision,
    quarantineId: claim.record.quarantineId,
    state: claim.record.state,
    ...(started === undefined ? {} : { executionId: started }),
  };
}

/**
 * Starts the workflow of a new claim, and of a joined one still in `requested`: an earlier trigger
 * claimed it but died before its start went through. Starting again is harmless (named executions).
 */
export async function startIfNeeded(
  starter: WorkflowStarter,
  record: QuarantineRecord,
  created: boolean,
): Promise<string | undefined> {
  if (!created && record.state !== 'requested') return undefined;
  const r = await starter.start({ quarantineId: record.quarantineId, instance: record.instance });
  return r.executionId;
}
