import { EVIDENCE_STEPS, evidenceBranch } from './evidence-branch';
import {
  afterSealStates,
  DEFAULT_LATE_ACTIVITY_DELAY_SECONDS,
  investigationBranch,
} from './investigation-states';
import { RECORD_FAILURE_RETRY, type Retrier } from './retry';
import { snapshotPolling } from './snapshot-polling';
import { failedAt, namingStep, type State, taskState } from './states';

/** Every Lambda task of the quarantine workflow, named as its handler file in lambdas/handlers. */
export const WORKFLOW_TASKS = [
  'isolate',
  'notify',
  'snapshot',
  'poll-snapshots',
  'plan-export',
  'export-segment',
  'complete-export',
  'seal-manifest',
  'record-failure',
  'investigate-activity',
  'investigate-reach',
  'investigate-exposure',
  'issue-report',
] as const;
export type WorkflowTask = (typeof WORKFLOW_TASKS)[number];
export type TaskArns = Readonly<Record<WorkflowTask, string>>;

export interface WorkflowConfig {
  /** Parallel export-segment workers (Map MaxConcurrency). */
  readonly exportConcurrency: number;
  /** Wait between snapshot progress polls; snapshots stay `pending` for minutes to hours. */
  readonly pollIntervalSeconds: number;
  /** Ceiling of the doubling wait between polls (default 900 s); see snapshot-polling.ts. */
  readonly maxPollIntervalSeconds?: number;
  /** Hours the snapshots may take before the workflow fails with SnapshotTimeout (default 24). */
  readonly snapshotTimeoutHours?: number;
  /** Wait before the late activity pass (default 1200 s: CloudTrail's delivery delay, see investigation-states.ts). */
  readonly lateActivityDelaySeconds?: number;
}

export const DEFAULT_WORKFLOW_CONFIG: WorkflowConfig = { exportConcurrency: 8, pollIntervalSeconds: 30 };

/** The Parallel state running the evidence and investigation branches side by side. */
export const PARALLEL_STATE = 'EvidenceAndInvestigation';

/** Notifications take a projection of the state and leave the state itself unchanged (ResultPath null). */
function notify(arn: string, event: 'isolated' | 'sealed', next: string): State {
  return taskState(arn, next, failedAt(`notify-${event}`), {
    Parameters: { 'quarantineId.$': '$.quarantineId', event },
    ResultPath: null,
  });
}

/**
 * The Parallel state's failure (only the evidence branch can fail) back into the failure path's shape.
 * The branch's Fail state names the step as Error and carries the original error as JSON in Cause; any
 * other error (a runtime error of the branch itself) is recorded as the evidence step's, unparsed.
 */
function evidenceFailureStates(): Record<string, State> {
  return {
    EvidenceBranchFailed: {
      Type: 'Choice',
      Choices: [
        {
          Or: EVIDENCE_STEPS.map((s) => ({ Variable: '$.branchError.Error', StringEquals: s })),
          Next: 'FailedInEvidenceStep',
        },
      ],
      Default: failedAt('evidence'),
    },
    FailedInEvidenceStep: {
      Type: 'Pass',
      Parameters: {
        'quarantineId.$': '$.quarantineId',
        'failedStep.$': '$.branchError.Error',
        'error.$': 'States.StringToJson($.branchError.Cause)',
      },
      Next: 'RecordFailure',
    },
    [failedAt('evidence')]: {
      Type: 'Pass',
      Parameters: { 'quarantineId.$': '$.quarantineId', failedStep: 'evidence', 'error.$': '$.branchError' },
      Next: 'RecordFailure',
    },
  };
}

/**
 * The quarantine workflow as Amazon States Language, a pure function of config and the task ARNs.
 * Contain first: isolation runs before anything else, and the evidence and investigation branches only
 * follow a successful cut. Every evidence failure reaches RecordFailure with the step named (which
 * writes the ledger and notifies on-call before the execution fails); investigation and report failures
 * never fail the quarantine. After sealing, the activity step runs once more after CloudTrail's delivery
 * delay, and the report is issued again.
 * https://states-language.net/spec.html
 */
export function quarantineDefinition(cfg: WorkflowConfig, arns: TaskArns): State {
  const step = (name: string, arn: string, next: string) => taskState(arn, next, failedAt(name));
  const states: Record<string, State> = {
    Isolate: step('isolate', arns.isolate, 'IsolationOutcome'),
    IsolationOutcome: {
      Type: 'Choice',
      Choices: [{ Variable: '$.isolation.status', StringEquals: 'refused', Next: 'Refused' }],
      Default: 'NotifyIsolated',
    },
    Refused: { Type: 'Succeed', Comment: 'The instance must not be quarantined; the ledger says why.' },
    NotifyIsolated: notify(arns.notify, 'isolated', PARALLEL_STATE),
    [PARALLEL_STATE]: {
      Type: 'Parallel',
      Branches: [
        evidenceBranch(arns, snapshotPolling(cfg), cfg.exportConcurrency),
        investigationBranch(arns),
      ],
      // The branches' outputs are not needed: seal-manifest and the rest read the ledger. The state
      // stays the Parallel's input ({quarantineId, isolation...}), far below the payload limit.
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.branchError', Next: 'EvidenceBranchFailed' }],
      Next: 'SealManifest',
    },
    ...evidenceFailureStates(),
    SealManifest: step('seal-manifest', arns['seal-manifest'], 'NotifySealed'),
    NotifySealed: notify(arns.notify, 'sealed', 'IssueReport'),
    ...afterSealStates(arns, cfg.lateActivityDelaySeconds ?? DEFAULT_LATE_ACTIVITY_DELAY_SECONDS, 'Sealed'),
    Sealed: { Type: 'Succeed' },
    RecordFailure: {
      Type: 'Task',
      Resource: arns['record-failure'],
      Parameters: { 'quarantineId.$': '$.quarantineId', 'step.$': '$.failedStep', 'error.$': '$.error' },
      Retry: RECORD_FAILURE_RETRY satisfies ReadonlyArray<Retrier>,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'QuarantineFailed' }],
      Next: 'QuarantineFailed',
    },
    QuarantineFailed: {
      Type: 'Fail',
      Error: 'QuarantineFailed',
      Cause: 'A step failed; see the ledger record.',
    },
  };
  for (const s of ['isolate', 'notify-isolated', 'seal-manifest', 'notify-sealed'])
    states[failedAt(s)] = namingStep(s, 'RecordFailure');
  return {
    Comment:
      'Sequester quarantine: isolate, notify; evidence (snapshot, export) beside the investigation ' +
      '(activity, reach, exposure); seal, notify, report; the late activity pass, the report again.',
    StartAt: 'Isolate',
    States: states,
  };
}

/** The definition as the JSON string Step Functions takes. */
export const renderDefinition = (cfg: WorkflowConfig, arns: TaskArns) =>
  JSON.stringify(quarantineDefinition(cfg, arns), null, 2);
