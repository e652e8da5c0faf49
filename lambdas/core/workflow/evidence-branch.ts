import { EXPORT_SEGMENT_RETRY } from './retry';
import { SNAPSHOT_POLL_STATES, type SnapshotPollingConfig, snapshotPollingStates } from './snapshot-polling';
import { failedAt, type State, taskState } from './states';

/** The evidence tasks' ARNs (a subset of the workflow's TaskArns). */
export interface EvidenceArns {
  readonly snapshot: string;
  readonly 'poll-snapshots': string;
  readonly 'plan-export': string;
  readonly 'export-segment': string;
  readonly 'complete-export': string;
}

/** The Fail state ending the evidence branch when one of its steps failed. */
export const EVIDENCE_FAILED = 'EvidenceFailed';

/** The steps of the evidence branch a failure can name (the Parallel's Catch recognises them). */
export const EVIDENCE_STEPS = [
  'snapshot',
  'poll-snapshots',
  'plan-export',
  'export-segment',
  'complete-export',
] as const;

/** Names the failed step and keeps only what the Fail state carries: the step and the error as JSON. */
const failing = (step: string): State => ({
  Type: 'Pass',
  Parameters: { failedStep: step, 'cause.$': 'States.JsonToString($.error)' },
  Next: EVIDENCE_FAILED,
});

/**
 * The evidence branch of the workflow's Parallel state: snapshot, poll, plan, export the segments and
 * complete the images. A state inside a Parallel branch cannot transition outside it, so a failed step
 * is named by a Pass state (which also turns the original error into JSON with States.JsonToString) and
 * ends the branch in a Fail state that carries the step as its Error and that JSON as its Cause
 * (ErrorPath/CausePath); the Parallel's Catch rebuilds `{quarantineId, failedStep, error}` from them for
 * RecordFailure.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
 */
export function evidenceBranch(
  arns: EvidenceArns,
  polling: SnapshotPollingConfig,
  exportConcurrency: number,
) {
  const states: Record<string, State> = {
    Snapshot: taskState(arns.snapshot, SNAPSHOT_POLL_STATES.start, failedAt('snapshot')),
    PollSnapshots: taskState(arns['poll-snapshots'], SNAPSHOT_POLL_STATES.check, failedAt('poll-snapshots')),
    // Waits grow to a ceiling and stop at the timeout, so the loop stays far below the history limit.
    ...snapshotPollingStates(polling, { completed: 'PlanExport', failed: failedAt('poll-snapshots') }),
    PlanExport: taskState(arns['plan-export'], 'ExportSegments', failedAt('plan-export')),
    ExportSegments: {
      Type: 'Map',
      ItemsPath: '$.segments',
      MaxConcurrency: exportConcurrency,
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
    CompleteExport: taskState(arns['complete-export'], undefined, failedAt('complete-export')),
    [EVIDENCE_FAILED]: { Type: 'Fail', ErrorPath: '$.failedStep', CausePath: '$.cause' },
  };
  for (const step of EVIDENCE_STEPS) states[failedAt(step)] = failing(step);
  return { StartAt: 'Snapshot', States: states };
}
