import { EXPORT_SEGMENT_RETRY, RECORD_FAILURE_RETRY, type Retrier, TASK_RETRY } from './retry';
import { SNAPSHOT_POLL_STATES, snapshotPolling, snapshotPollingStates } from './snapshot-polling';

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
}

export const DEFAULT_WORKFLOW_CONFIG: WorkflowConfig = { exportConcurrency: 8, pollIntervalSeconds: 30 };

type State = Record<string, unknown>;

/** A Lambda task state (direct ARN integration: the state's result is the handler's return value). */
function task(arn: string, next: string | undefined, failStep: string, extra: State = {}): State {
  return {
    Type: 'Task',
    Resource: arn,
    ...extra,
    Retry: TASK_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failedAt(failStep) }],
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** Notifications take a projection of the state and leave the state itself unchanged (ResultPath null). */
function notify(arn: string, event: 'isolated' | 'sealed', next: string): State {
  return task(arn, next, `notify-${event}`, {
    Parameters: { 'quarantineId.$': '$.quarantineId', event },
    ResultPath: null,
  });
}

const failedAt = (step: string) => `FailedAt-${step}`;

/**
 * The quarantine workflow as Amazon States Language, a pure function of config and the task ARNs.
 * Contain first: isolation runs before anything else and the evidence steps only follow a successful
 * cut. Every task failure goes through a Pass state naming the step into RecordFailure, which writes the
 * ledger (state failed, the step and the error) and notifies on-call before the execution fails.
 * https://states-language.net/spec.html
 */
export function quarantineDefinition(cfg: WorkflowConfig, arns: TaskArns): State {
  const steps: Array<[string, string]> = [];
  const t = (step: string, arn: string, next: string | undefined, extra: State = {}) => {
    steps.push([step, step]);
    return task(arn, next, step, extra);
  };
  const states: Record<string, State> = {
    Isolate: t('isolate', arns.isolate, 'IsolationOutcome'),
    IsolationOutcome: {
      Type: 'Choice',
      Choices: [{ Variable: '$.isolation.status', StringEquals: 'refused', Next: 'Refused' }],
      Default: 'NotifyIsolated',
    },
    Refused: { Type: 'Succeed', Comment: 'The instance must not be quarantined; the ledger says why.' },
    NotifyIsolated: notify(arns.notify, 'isolated', 'Snapshot'),
    Snapshot: t('snapshot', arns.snapshot, SNAPSHOT_POLL_STATES.start),
    PollSnapshots: t('poll-snapshots', arns['poll-snapshots'], SNAPSHOT_POLL_STATES.check),
    // Waits grow to a ceiling and stop at the timeout, so the loop stays far below the history limit.
    ...snapshotPollingStates(snapshotPolling(cfg), {
      completed: 'PlanExport',
      failed: failedAt('poll-snapshots'),
    }),
    PlanExport: t('plan-export', arns['plan-export'], 'ExportSegments'),
    ExportSegments: {
      Type: 'Map',
      ItemsPath: '$.segments',
      MaxConcurrency: cfg.exportConcurrency,
      // Items are segment references ({image, firstPart, lastPart}); the quarantine id is added here
      // rather than repeated in every item, so a thousand segments stay a few tens of KB of state.
      // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
      ItemSelector: {
        'quarantineId.$': '$.quarantineId',
        'image.$': '$$.Map.Item.Value.image',
        'firstPart.$': '$$.Map.Item.Value.firstPart',
        'lastPart.$': '$$.Map.Item.Value.lastPart',
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'ExportSegment',
        States: {
          ExportSegment: {
            Type: 'Task',
            Resource: arns['export-segment'],
            Retry: EXPORT_SEGMENT_RETRY,
            End: true,
          },
        },
      },
      // Segment results are not needed downstream (complete-export reads ListParts); dropping them keeps
      // the state far below the 256 KiB payload limit for volumes with thousands of parts.
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failedAt('export-segment') }],
      Next: 'CompleteExport',
    },
    CompleteExport: t('complete-export', arns['complete-export'], 'SealManifest'),
    SealManifest: t('seal-manifest', arns['seal-manifest'], 'NotifySealed'),
    NotifySealed: notify(arns.notify, 'sealed', 'Sealed'),
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
  for (const step of [...steps.map(([s]) => s), 'notify-isolated', 'notify-sealed', 'export-segment']) {
    states[failedAt(step)] = {
      Type: 'Pass',
      Result: step,
      ResultPath: '$.failedStep',
      Next: 'RecordFailure',
    };
  }
  return {
    Comment: 'Sequester quarantine: isolate, notify, snapshot, export to the vault, seal, notify.',
    StartAt: 'Isolate',
    States: states,
  };
}

/** The definition as the JSON string Step Functions takes. */
export const renderDefinition = (cfg: WorkflowConfig, arns: TaskArns) =>
  JSON.stringify(quarantineDefinition(cfg, arns), null, 2);
