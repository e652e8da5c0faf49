import { TASK_RETRY } from './retry';
import type { State } from './states';

/** The investigation and report tasks' ARNs (a subset of the workflow's TaskArns). */
export interface InvestigationArns {
  readonly 'investigate-activity': string;
  readonly 'investigate-reach': string;
  readonly 'investigate-exposure': string;
  readonly 'issue-report': string;
}

/**
 * "CloudTrail typically delivers logs within an average of about 5 minutes of an API call. This time is
 * not guaranteed." The activity step runs a second time after this delay (default 20 minutes, four
 * times the average) so calls made just before the cut and delivered late are counted.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */
export const DEFAULT_LATE_ACTIVITY_DELAY_SECONDS = 1200;

export const LATE_ACTIVITY_WAIT = 'WaitForLateActivity';

/** The investigation and report task states, by state name (tests and the local run read them). */
export const BEST_EFFORT_STATES = [
  'InvestigateActivity',
  'InvestigateReach',
  'InvestigateExposure',
  'IssueReport',
  'InvestigateActivityLate',
  'IssueReportLate',
] as const;

/**
 * A task that never fails the quarantine: its input is a projection of the state ({quarantineId,
 * pass}), its result is dropped (ResultPath null), and any failure left after the retries moves on to
 * `next`. The handlers record their own `unavailable` outcomes with the reason; investigation never
 * blocks or undoes containment and evidence.
 */
function bestEffort(arn: string, next: string, pass?: 'initial' | 'late'): State {
  return {
    Type: 'Task',
    Resource: arn,
    Parameters: { 'quarantineId.$': '$.quarantineId', ...(pass === undefined ? {} : { pass }) },
    ResultPath: null,
    Retry: TASK_RETRY,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

/**
 * The investigation branch of the Parallel state, beside the evidence branch: what the instance's
 * credentials did (CloudTrail) and the bytes that left it (VPC flow logs, sealed by the same task as
 * flows-<pass>.json), what they could reach (IAM), and what was exposed. Each step runs
 * whatever happened to the one before.
 */
export function investigationBranch(arns: InvestigationArns) {
  const states: Record<string, State> = {
    InvestigateActivity: bestEffort(arns['investigate-activity'], 'InvestigateReach', 'initial'),
    InvestigateReach: bestEffort(arns['investigate-reach'], 'InvestigateExposure'),
    InvestigateExposure: bestEffort(arns['investigate-exposure'], 'InvestigationDone'),
    InvestigationDone: { Type: 'Succeed' },
  };
  return { StartAt: 'InvestigateActivity', States: states };
}

/**
 * After sealing: the breach report, the wait for CloudTrail's delivery delay, the late activity pass
 * and the report's second version. None of them can fail the quarantine: each failure goes on to the
 * next state, the last one to `done`.
 */
export function afterSealStates(
  arns: InvestigationArns,
  delaySeconds: number,
  done: string,
): Record<string, State> {
  return {
    IssueReport: bestEffort(arns['issue-report'], LATE_ACTIVITY_WAIT, 'initial'),
    [LATE_ACTIVITY_WAIT]: { Type: 'Wait', Seconds: delaySeconds, Next: 'InvestigateActivityLate' },
    InvestigateActivityLate: bestEffort(arns['investigate-activity'], 'IssueReportLate', 'late'),
    IssueReportLate: bestEffort(arns['issue-report'], done, 'late'),
  };
}
