/**
 * The snapshot progress loop of the quarantine workflow, bounded in time and in execution history.
 *
 * A standard workflow's execution history holds at most 25,000 events; the execution fails at the limit
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html). A poll every 30 s costs
 * about 9 events (Task, Choice, Wait), so a fixed 30 s loop reaches the limit after about a day, while an
 * EBS snapshot of a large volume can stay `pending` for hours. The wait therefore doubles from the first
 * interval up to a ceiling, and after the configured timeout the workflow stops polling and takes the
 * failure path (ledger `failed` with the reason, on-call paged) instead of looping on.
 *
 * The loop state travels in `$.snapshotPoll` ({waits, waitSeconds}): a Pass state counts the waits with
 * `States.MathAdd` and picks the next wait, and one Wait state reads it with `SecondsPath` (an integer
 * number of seconds). https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-wait-state.html
 */

type State = Record<string, unknown>;

export interface SnapshotPollingConfig {
  /** First wait between polls, in seconds; each later wait doubles it up to maxPollIntervalSeconds. */
  readonly pollIntervalSeconds: number;
  /** Ceiling of the wait between polls, in seconds. */
  readonly maxPollIntervalSeconds: number;
  /** Total time allowed for the snapshots to complete, in hours, counted from the first poll. */
  readonly snapshotTimeoutHours: number;
}

export const DEFAULT_SNAPSHOT_POLLING: SnapshotPollingConfig = {
  pollIntervalSeconds: 30,
  maxPollIntervalSeconds: 900,
  snapshotTimeoutHours: 24,
};

/** The loop's settings from a workflow config whose polling fields beyond the first interval are optional. */
export const snapshotPolling = (c: {
  readonly pollIntervalSeconds: number;
  readonly maxPollIntervalSeconds?: number | undefined;
  readonly snapshotTimeoutHours?: number | undefined;
}): SnapshotPollingConfig => ({
  pollIntervalSeconds: c.pollIntervalSeconds,
  maxPollIntervalSeconds: c.maxPollIntervalSeconds ?? DEFAULT_SNAPSHOT_POLLING.maxPollIntervalSeconds,
  snapshotTimeoutHours: c.snapshotTimeoutHours ?? DEFAULT_SNAPSHOT_POLLING.snapshotTimeoutHours,
});

/** Error name the failure path records when the snapshots are still pending at the timeout. */
export const SNAPSHOT_TIMEOUT_ERROR = 'SnapshotTimeout';

/** State names of the loop (PollSnapshots itself is the workflow's task state). */
export const SNAPSHOT_POLL_STATES = {
  start: 'StartSnapshotPolling',
  poll: 'PollSnapshots',
  check: 'SnapshotsCompleted',
  ramp: 'RampSnapshotWait',
  ceiling: 'CeilingSnapshotWait',
  wait: 'WaitForSnapshots',
  timedOut: 'SnapshotsTimedOut',
} as const;

/**
 * The waits of the loop, in order, until their sum reaches the timeout: the doubling ramp below the
 * ceiling, then the ceiling. Polls happen before the first wait and after each wait, so the last poll
 * runs once the snapshots have had the whole timeout.
 */
export function snapshotWaitSchedule(p: SnapshotPollingConfig): {
  ramp: number[];
  ceiling: number;
  waits: number[];
} {
  const first = Math.max(1, Math.floor(p.pollIntervalSeconds));
  const ceiling = Math.max(first, Math.floor(p.maxPollIntervalSeconds));
  const ramp: number[] = [];
  for (let w = first; w < ceiling; w *= 2) ramp.push(w);
  const timeout = p.snapshotTimeoutHours * 3600;
  const waits: number[] = [];
  let total = 0;
  while (total < timeout) {
    const w = ramp[waits.length] ?? ceiling;
    waits.push(w);
    total += w;
  }
  return { ramp, ceiling, waits };
}

/**
 * Step Functions history events each state adds when it runs once without error (API_HistoryEvent:
 * TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded,
 * TaskStateExited for a Lambda task; <Type>StateEntered and <Type>StateExited for the others; a Fail
 * state has only FailStateEntered).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export const HISTORY_EVENTS_PER_STATE = {
  Task: 5,
  Choice: 2,
  Wait: 2,
  Pass: 2,
  Succeed: 2,
  Fail: 1,
} as const satisfies Readonly<Record<string, number>>;

/**
 * Polls and history events of the loop when the snapshots never complete (the longest run): one start,
 * every poll (Task + Choice), every wait (Pass + Wait), and the timeout Pass.
 */
export function snapshotPollingBudget(p: SnapshotPollingConfig) {
  const { waits } = snapshotWaitSchedule(p);
  const polls = waits.length + 1;
  const e = HISTORY_EVENTS_PER_STATE;
  const historyEvents = e.Pass + polls * (e.Task + e.Choice) + waits.length * (e.Pass + e.Wait) + e.Pass;
  return { polls, waits: waits.length, waitedSeconds: waits.reduce((a, b) => a + b, 0), historyEvents };
}

/**
 * The loop's states except the PollSnapshots task (which the workflow builds with its Retry and
 * Catch and points at `SnapshotsCompleted`). The workflow enters the loop at `StartSnapshotPolling`.
 * `completed` is the state after all snapshots completed; `failed` is the Pass state that names the
 * failed step (poll-snapshots) on the way to RecordFailure.
 */
export function snapshotPollingStates(
  p: SnapshotPollingConfig,
  next: { readonly completed: string; readonly failed: string },
): Record<string, State> {
  const s = SNAPSHOT_POLL_STATES;
  const { ramp, ceiling, waits } = snapshotWaitSchedule(p);
  const { polls, waitedSeconds } = snapshotPollingBudget(p);
  const count = { 'waits.$': 'States.MathAdd($.snapshotPoll.waits, 1)' };
  return {
    [s.start]: {
      Type: 'Pass',
      Result: { waits: 0, waitSeconds: 0 },
      ResultPath: '$.snapshotPoll',
      Next: s.poll,
    },
    [s.check]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.allCompleted', BooleanEquals: true, Next: next.completed },
        { Variable: '$.snapshotPoll.waits', NumericGreaterThanEquals: waits.length, Next: s.timedOut },
        ...(ramp.length > 0
          ? [{ Variable: '$.snapshotPoll.waits', NumericLessThan: ramp.length, Next: s.ramp }]
          : []),
      ],
      Default: s.ceiling,
    },
    ...(ramp.length > 0
      ? {
          [s.ramp]: {
            Type: 'Pass',
            Parameters: {
              ...count,
              'waitSeconds.$': `States.ArrayGetItem(States.Array(${ramp.join(', ')}), $.snapshotPoll.waits)`,
            },
            ResultPath: '$.snapshotPoll',
            Next: s.wait,
          },
        }
      : {}),
    [s.ceiling]: {
      Type: 'Pass',
      Parameters: { ...count, waitSeconds: ceiling },
      ResultPath: '$.snapshotPoll',
      Next: s.wait,
    },
    [s.wait]: { Type: 'Wait', SecondsPath: '$.snapshotPoll.waitSeconds', Next: s.poll },
    [s.timedOut]: {
      Type: 'Pass',
      Comment: 'The snapshots are kept: they are evidence, tagged with the quarantine id.',
      Result: {
        Error: SNAPSHOT_TIMEOUT_ERROR,
        Cause:
          `EBS snapshots still not completed after ${p.snapshotTimeoutHours} h ` +
          `(${polls} polls over ${waitedSeconds} s; config snapshotTimeoutHours)`,
      },
      ResultPath: '$.error',
      Next: next.failed,
    },
  };
}
