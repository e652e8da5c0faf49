import { HISTORY_EVENTS_PER_STATE } from '../../lambdas/core/workflow/snapshot-polling';
import type { LocalRunResult } from '../../local-aws/local-workflow';

/** The standard workflow's hard quota. https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html */
export const HISTORY_LIMIT = 25_000;

/**
 * The Step Functions execution history a local run would have produced, from its event log: per state
 * that ran, the events that state type writes (HISTORY_EVENTS_PER_STATE), plus three per retried Lambda
 * attempt (LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionFailed), MapStateStarted and
 * MapStateSucceeded/Failed per Map, two per Map iteration, and ExecutionStarted and the final event.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export function historyEventsOf(run: Pick<LocalRunResult, 'events'>): number {
  let n = 2;
  for (const e of run.events) {
    if (e.type === 'StateEntered') {
      const t = e.state.type;
      const perState: Readonly<Record<string, number>> = HISTORY_EVENTS_PER_STATE;
      n += (perState[t] ?? 2) + (t === 'Map' ? 2 : 0);
    } else if (e.type === 'StateRetried') n += 3;
    else if (e.type === 'MapIterationStarted') n += 2;
  }
  return n;
}

/** How many times each state was entered in a local run. */
export function statesEntered(run: Pick<LocalRunResult, 'events'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of run.events) if (e.type === 'StateEntered') out[e.state.name] = (out[e.state.name] ?? 0) + 1;
  return out;
}
