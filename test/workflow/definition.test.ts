import {
  DEFAULT_WORKFLOW_CONFIG,
  quarantineDefinition,
  renderDefinition,
  WORKFLOW_TASKS,
} from '../../lambdas/core/workflow/definition';
import { THROTTLING_ERRORS } from '../../lambdas/core/workflow/retry';
import { LOCAL_TASK_ARNS } from '../../local-aws/local-workflow';

type AslResult = { isValid: boolean; errorsText: (sep?: string) => string };
// asl-validator ships no type declarations.
const aslValidator = require('asl-validator') as (definition: unknown) => AslResult;

type State = Record<string, unknown> & { Type: string };
const definition = () =>
  quarantineDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS) as {
    StartAt: string;
    States: Record<string, State>;
  };
const taskStates = (states: Record<string, State>) =>
  Object.entries(states).filter(([, s]) => s.Type === 'Task');

describe('Function: quarantineDefinition', () => {
  it('is valid Amazon States Language', () => {
    const result = aslValidator(JSON.parse(renderDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS)));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('would be reported invalid if a transition pointed at a missing state', () => {
    const broken = JSON.parse(renderDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS)) as {
      States: Record<string, State>;
    };
    (broken.States.Snapshot as State).Next = 'NoSuchState';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('isolates before anything else', () => {
    const d = definition();
    expect(d.StartAt).toBe('Isolate');
    expect(d.States.Isolate?.Resource).toBe(LOCAL_TASK_ARNS.isolate);
  });

  it('invokes every workflow task', () => {
    const json = renderDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS);
    for (const t of WORKFLOW_TASKS) expect(json).toContain(LOCAL_TASK_ARNS[t]);
  });

  it('retries throttling on every task with backoff', () => {
    const d = definition();
    const inner =
      (d.States.ExportSegments?.ItemProcessor as { States: Record<string, State> } | undefined)?.States ?? {};
    for (const [name, s] of [...taskStates(d.States), ...taskStates(inner)]) {
      const retry = (s.Retry ?? []) as Array<{ ErrorEquals: string[]; BackoffRate: number }>;
      const any = retry.some((r) => r.ErrorEquals.includes('States.ALL'));
      const throttling = retry.find((r) => THROTTLING_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect({ name, covered: any || (throttling?.BackoffRate ?? 0) > 1 }).toEqual({ name, covered: true });
    }
  });

  it('sends every failure of a task outside the failure path to RecordFailure with the step named', () => {
    const d = definition();
    for (const [name, s] of Object.entries(d.States)) {
      if (!['Task', 'Map'].includes(s.Type) || name === 'RecordFailure') continue;
      const c = (s.Catch as Array<{ ErrorEquals: string[]; Next: string }>)[0];
      expect(c?.ErrorEquals).toEqual(['States.ALL']);
      const pass = d.States[c?.Next ?? ''];
      expect(pass).toMatchObject({ Type: 'Pass', ResultPath: '$.failedStep', Next: 'RecordFailure' });
    }
    expect(d.States.RecordFailure?.Next).toBe('QuarantineFailed');
    expect(d.States.QuarantineFailed?.Type).toBe('Fail');
  });

  it('loops on snapshot progress with a Wait instead of a sleeping Lambda', () => {
    const d = definition();
    expect(d.States.Snapshot?.Next).toBe('StartSnapshotPolling');
    expect(d.States.PollSnapshots?.Next).toBe('SnapshotsCompleted');
    expect(d.States.WaitForSnapshots).toEqual({
      Type: 'Wait',
      SecondsPath: '$.snapshotPoll.waitSeconds',
      Next: 'PollSnapshots',
    });
    for (const pass of ['RampSnapshotWait', 'CeilingSnapshotWait'])
      expect(d.States[pass]).toMatchObject({ Type: 'Pass', Next: 'WaitForSnapshots' });
  });

  it('stops polling at the configured timeout and takes the failure path of poll-snapshots', () => {
    const d = quarantineDefinition(
      { ...DEFAULT_WORKFLOW_CONFIG, snapshotTimeoutHours: 2 },
      LOCAL_TASK_ARNS,
    ) as { States: Record<string, State> };
    const choices = d.States.SnapshotsCompleted?.Choices as Array<Record<string, unknown>>;
    // 30+60+120+240+480 s, then 900 s waits: 2 h are reached after 5 + 7 waits.
    expect(choices).toContainEqual({
      Variable: '$.snapshotPoll.waits',
      NumericGreaterThanEquals: 12,
      Next: 'SnapshotsTimedOut',
    });
    expect(d.States.SnapshotsTimedOut).toMatchObject({
      Type: 'Pass',
      Result: { Error: 'SnapshotTimeout', Cause: expect.stringContaining('after 2 h') },
      ResultPath: '$.error',
      Next: 'FailedAt-poll-snapshots',
    });
    expect(aslValidator(d).isValid).toBe(true);
  });

  it('exports segments with the configured concurrency', () => {
    const d = quarantineDefinition({ exportConcurrency: 3, pollIntervalSeconds: 5 }, LOCAL_TASK_ARNS) as {
      States: Record<string, State>;
    };
    expect(d.States.ExportSegments).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.segments',
      MaxConcurrency: 3,
    });
  });

  it('is a pure function of its arguments', () => {
    expect(renderDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS)).toBe(
      renderDefinition(DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS),
    );
  });
});
