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
type Machine = { StartAt: string; States: Record<string, State> };
/** The states of the Parallel's evidence branch and investigation branch. */
const branches = (d: Machine) => {
  const [evidence, investigation] = (d.States.EvidenceAndInvestigation?.Branches ?? []) as Machine[];
  return { evidence: evidence as Machine, investigation: investigation as Machine };
};
/** Every state, nested ones (Parallel branches, Map item processors) included. */
function allStates(states: Record<string, State>): Record<string, State> {
  const out: Record<string, State> = {};
  for (const [name, s] of Object.entries(states)) {
    out[name] = s;
    const nested = [
      ...((s.Branches as Machine[] | undefined) ?? []),
      ...(s.ItemProcessor === undefined ? [] : [s.ItemProcessor as Machine]),
    ];
    for (const n of nested) Object.assign(out, allStates(n.States));
  }
  return out;
}
const BEST_EFFORT = [
  'InvestigateActivity',
  'InvestigateReach',
  'InvestigateExposure',
  'IssueReport',
  'InvestigateActivityLate',
  'IssueReportLate',
];

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
    (broken.States.SealManifest as State).Next = 'NoSuchState';
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
    const tasks = taskStates(allStates(d.States));
    expect(tasks.length).toBeGreaterThanOrEqual(WORKFLOW_TASKS.length);
    for (const [name, s] of tasks) {
      const retry = (s.Retry ?? []) as Array<{ ErrorEquals: string[]; BackoffRate: number }>;
      const any = retry.some((r) => r.ErrorEquals.includes('States.ALL'));
      const throttling = retry.find((r) => THROTTLING_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect({ name, covered: any || (throttling?.BackoffRate ?? 0) > 1 }).toEqual({ name, covered: true });
    }
  });

  it('sends every failure of a containment or evidence task to RecordFailure with the step named', () => {
    const d = definition();
    for (const [name, s] of Object.entries(d.States)) {
      if (!['Task', 'Map'].includes(s.Type) || name === 'RecordFailure' || BEST_EFFORT.includes(name))
        continue;
      const c = (s.Catch as Array<{ ErrorEquals: string[]; Next: string }>)[0];
      expect(c?.ErrorEquals).toEqual(['States.ALL']);
      const pass = d.States[c?.Next ?? ''];
      expect(pass).toMatchObject({ Type: 'Pass', ResultPath: '$.failedStep', Next: 'RecordFailure' });
    }
    expect(d.States.RecordFailure?.Next).toBe('QuarantineFailed');
    expect(d.States.QuarantineFailed?.Type).toBe('Fail');
  });

  it('ends the evidence branch, on any step failure, in a Fail state carrying the step and the error', () => {
    const { evidence } = branches(definition());
    const tasks = Object.entries(evidence.States).filter(([, s]) => ['Task', 'Map'].includes(s.Type));
    expect(tasks.map(([n]) => n).sort()).toEqual(
      ['CompleteExport', 'ExportSegments', 'PlanExport', 'PollSnapshots', 'Snapshot'].sort(),
    );
    for (const [, s] of tasks) {
      const c = (s.Catch as Array<{ ErrorEquals: string[]; Next: string; ResultPath: string }>)[0];
      expect(c).toMatchObject({ ErrorEquals: ['States.ALL'], ResultPath: '$.error' });
      expect(evidence.States[c?.Next ?? '']).toEqual({
        Type: 'Pass',
        Parameters: { failedStep: expect.any(String), 'cause.$': 'States.JsonToString($.error)' },
        Next: 'EvidenceFailed',
      });
    }
    expect(evidence.States.EvidenceFailed).toEqual({
      Type: 'Fail',
      ErrorPath: '$.failedStep',
      CausePath: '$.cause',
    });
  });

  it("rebuilds {quarantineId, failedStep, error} from the evidence branch's failure for RecordFailure", () => {
    const d = definition();
    expect(d.States.EvidenceAndInvestigation?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.branchError', Next: 'EvidenceBranchFailed' },
    ]);
    expect(d.States.FailedInEvidenceStep).toEqual({
      Type: 'Pass',
      Parameters: {
        'quarantineId.$': '$.quarantineId',
        'failedStep.$': '$.branchError.Error',
        'error.$': 'States.StringToJson($.branchError.Cause)',
      },
      Next: 'RecordFailure',
    });
    expect(d.States['FailedAt-evidence']).toMatchObject({ Type: 'Pass', Next: 'RecordFailure' });
  });

  it('runs the investigation beside the evidence after the cut is announced, and seals after both', () => {
    const d = definition();
    expect(d.States.NotifyIsolated?.Next).toBe('EvidenceAndInvestigation');
    const { evidence, investigation } = branches(d);
    expect(evidence.StartAt).toBe('Snapshot');
    expect(investigation.StartAt).toBe('InvestigateActivity');
    expect(investigation.States.InvestigateActivity?.Next).toBe('InvestigateReach');
    expect(investigation.States.InvestigateReach?.Next).toBe('InvestigateExposure');
    expect(d.States.EvidenceAndInvestigation).toMatchObject({ ResultPath: null, Next: 'SealManifest' });
    expect(d.States.NotifySealed?.Next).toBe('IssueReport');
  });

  it('never fails the quarantine for an investigation or report failure: each moves on to the next state', () => {
    const all = allStates(definition().States);
    for (const name of BEST_EFFORT) {
      const s = all[name] as State;
      expect({ name, catch: s.Catch, resultPath: s.ResultPath }).toEqual({
        name,
        catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: s.Next }],
        resultPath: null,
      });
    }
    expect(all.InvestigateActivity?.Parameters).toEqual({
      'quarantineId.$': '$.quarantineId',
      pass: 'initial',
    });
    expect(all.InvestigateActivityLate?.Parameters).toEqual({
      'quarantineId.$': '$.quarantineId',
      pass: 'late',
    });
  });

  it("waits CloudTrail's delivery delay before the late activity pass: 20 minutes unless configured", () => {
    expect(definition().States.WaitForLateActivity).toEqual({
      Type: 'Wait',
      Seconds: 1200,
      Next: 'InvestigateActivityLate',
    });
    const short = quarantineDefinition(
      { ...DEFAULT_WORKFLOW_CONFIG, lateActivityDelaySeconds: 5 },
      LOCAL_TASK_ARNS,
    ) as Machine;
    expect(short.States.WaitForLateActivity?.Seconds).toBe(5);
    expect(short.States.IssueReportLate?.Next).toBe('Sealed');
  });

  it('loops on snapshot progress with a Wait instead of a sleeping Lambda', () => {
    const d = branches(definition()).evidence;
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
    const full = quarantineDefinition(
      { ...DEFAULT_WORKFLOW_CONFIG, snapshotTimeoutHours: 2 },
      LOCAL_TASK_ARNS,
    ) as Machine;
    const d = branches(full).evidence;
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
    expect(aslValidator(full).isValid).toBe(true);
  });

  it('exports segments with the configured concurrency', () => {
    const d = branches(
      quarantineDefinition({ exportConcurrency: 3, pollIntervalSeconds: 5 }, LOCAL_TASK_ARNS) as Machine,
    ).evidence;
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
