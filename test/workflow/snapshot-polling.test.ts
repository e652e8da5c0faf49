import { DEFAULT_WORKFLOW_CONFIG, type WorkflowConfig } from '../../lambdas/core/workflow/definition';
import {
  SNAPSHOT_TIMEOUT_ERROR,
  snapshotPollingBudget,
  snapshotWaitSchedule,
} from '../../lambdas/core/workflow/snapshot-polling';
import { runLocalWorkflow } from '../../local-aws/local-workflow';
import { HISTORY_LIMIT, historyEventsOf, statesEntered } from './history-events';

type Json = Record<string, unknown>;
const QID = 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11';
const SNAPSHOTS = [
  { volumeId: 'vol-0a1b2c3d', snapshotId: 'snap-0a1b2c3d', sizeGiB: 8, deviceName: '/dev/xvda' },
];

/**
 * The deployed ASL run by aws-local-stepfunctions with every task faked (no AWS, no moto): only the
 * definition's control flow is under test. Each poll records the loop state it was given; the snapshots
 * complete after `completeAfter` polls (never when undefined).
 */
async function run(config: WorkflowConfig, completeAfter?: number) {
  const polls: Array<{ waits: number; waitSeconds: number }> = [];
  const failures: Json[] = [];
  const pass = async (e: unknown) => e;
  const result = await runLocalWorkflow(
    { quarantineId: QID },
    {
      config,
      replace: {
        isolate: async (e) => ({ ...(e as Json), isolation: { status: 'isolated', verified: true } }),
        notify: pass,
        snapshot: async (e) => ({ ...(e as Json), snapshots: SNAPSHOTS }),
        'poll-snapshots': async (e) => {
          polls.push((e as { snapshotPoll: { waits: number; waitSeconds: number } }).snapshotPoll);
          return {
            ...(e as Json),
            allCompleted: completeAfter !== undefined && polls.length >= completeAfter,
          };
        },
        'plan-export': async (e) => ({ ...(e as Json), exports: [], segments: [] }),
        'complete-export': async (e) => ({ ...(e as Json), images: [] }),
        'seal-manifest': async (e) => ({ ...(e as Json), manifestKey: 'm' }),
        'investigate-activity': pass,
        'investigate-reach': pass,
        'investigate-exposure': pass,
        'issue-report': pass,
        'record-failure': async (e) => {
          failures.push(e as Json);
          return { recorded: true };
        },
      },
    },
  );
  return { result, polls, failures };
}

describe('Snapshot polling loop (ASL run locally, tasks faked)', () => {
  it('fails through record-failure with SnapshotTimeout once the configured hours have passed', async () => {
    // Prepare
    const config = { ...DEFAULT_WORKFLOW_CONFIG, snapshotTimeoutHours: 24 };
    const { waits } = snapshotWaitSchedule({
      pollIntervalSeconds: 30,
      maxPollIntervalSeconds: 900,
      snapshotTimeoutHours: 24,
    });
    // Act
    const { result, polls, failures } = await run(config);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.tasks.at(-1)).toBe('record-failure');
    expect(failures).toEqual([
      {
        quarantineId: QID,
        step: 'poll-snapshots',
        error: { Error: SNAPSHOT_TIMEOUT_ERROR, Cause: expect.stringMatching(/not completed after 24 h/) },
      },
    ]);
    expect(polls).toHaveLength(waits.length + 1);
    // Each poll after the first follows the wait the loop chose: doubling from 30 s, then 900 s.
    expect(polls.slice(1).map((p) => p.waitSeconds)).toEqual(waits);
    expect(waits.slice(0, 6)).toEqual([30, 60, 120, 240, 480, 900]);
    const waited = waits.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(24 * 3600);
    expect(waited - (waits.at(-1) ?? 0)).toBeLessThan(24 * 3600);
  });

  it('goes on to the export as soon as the snapshots complete, with the counter in the state', async () => {
    const { result, polls, failures } = await run(DEFAULT_WORKFLOW_CONFIG, 4);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(polls.map((p) => p.waits)).toEqual([0, 1, 2, 3]);
    expect(failures).toEqual([]);
    expect(result.tasks).toContain('plan-export');
  });

  it('keeps the longest allowed loop (168 h) well under the 25,000-event history limit', async () => {
    // Prepare
    const config = { ...DEFAULT_WORKFLOW_CONFIG, snapshotTimeoutHours: 168 };
    const budget = snapshotPollingBudget({
      pollIntervalSeconds: 30,
      maxPollIntervalSeconds: 900,
      snapshotTimeoutHours: 168,
    });
    // Act
    const { result, polls } = await run(config);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(polls).toHaveLength(budget.polls);
    const entered = statesEntered(result);
    expect(entered.PollSnapshots).toBe(budget.polls);
    expect(entered.WaitForSnapshots).toBe(budget.waits);
    const history = historyEventsOf(result);
    // The whole execution: the loop plus isolate, notify, the Parallel state with snapshot and the
    // investigation branch (three tasks), and the failure path.
    expect(history).toBeGreaterThan(budget.historyEvents);
    expect(history).toBeLessThan(budget.historyEvents + 80);
    expect(history).toBeLessThan(HISTORY_LIMIT / 3);
  });

  it('would overrun the history limit within a day with the old fixed 30 s wait', () => {
    const fixed = snapshotPollingBudget({
      pollIntervalSeconds: 30,
      maxPollIntervalSeconds: 30,
      snapshotTimeoutHours: 24,
    });
    expect(fixed.historyEvents).toBeGreaterThan(HISTORY_LIMIT);
    const growing = snapshotPollingBudget({
      pollIntervalSeconds: 30,
      maxPollIntervalSeconds: 900,
      snapshotTimeoutHours: 24,
    });
    expect(growing.historyEvents).toBeLessThan(HISTORY_LIMIT / 10);
  });
});
