import { randomBytes } from 'node:crypto';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { WORKFLOW_TASKS, type WorkflowTask } from '../lambdas/core/workflow/definition';
import { launchDiskInstance } from './disk-instance';
import { seedVolume } from './ebs-bridge/seed';
import { seededRandom } from './seeded-random';

type Handler = (event: unknown) => Promise<unknown>;

/** The workflow tasks a drill injects faults into (record-failure is the safety net, left alone). */
export const DRILL_TASKS: ReadonlyArray<WorkflowTask> = WORKFLOW_TASKS.filter((t) => t !== 'record-failure');

/** Decides, per task attempt, whether it fails and how: before its work, or after it (a timeout). */
export type FaultSchedule = (task: WorkflowTask, attempt: number) => 'before' | 'after' | undefined;

/** Fails every task's first attempt (alternating before/after by task) and export segments twice. */
export const firstAttemptFaults: FaultSchedule = (task, attempt) => {
  if (attempt > (task === 'export-segment' ? 2 : 1)) return undefined;
  return DRILL_TASKS.indexOf(task) % 2 === 0 ? 'before' : 'after';
};

/** Random faults with a seed; never more than two in a row for one task, below every Retry's MaxAttempts. */
export function seededFaults(seed: number, probability: number): FaultSchedule {
  const rand = seededRandom(seed);
  const streak = new Map<WorkflowTask, number>();
  return (task) => {
    const fail = (streak.get(task) ?? 0) < 2 && rand() < probability;
    streak.set(task, fail ? (streak.get(task) ?? 0) + 1 : 0);
    if (!fail) return undefined;
    return rand() < 0.5 ? 'before' : 'after';
  };
}

export interface FaultyTasks {
  readonly replace: Partial<Record<WorkflowTask, Handler>>;
  readonly injected: () => number;
}

/**
 * The real task handlers, wrapped to fail as the schedule says: "before" is a Lambda service error or
 * throttle before any work; "after" runs the real handler and then times out, so the retry repeats work
 * that already happened and must be idempotent. Error names are what the state machine's Retry matches.
 */
export function faultyTasks(schedule: FaultSchedule): FaultyTasks {
  const attempts = new Map<WorkflowTask, number>();
  let injected = 0;
  const wrap = (task: WorkflowTask): Handler => {
    const real = (require(`../lambdas/handlers/${task}`) as { handler: Handler }).handler;
    return async (event) => {
      const n = (attempts.get(task) ?? 0) + 1;
      attempts.set(task, n);
      const fault = schedule(task, n);
      if (fault === undefined) return real(event);
      injected += 1;
      if (fault === 'before') {
        throw Object.assign(new Error('injected'), {
          name: n % 2 === 1 ? 'Lambda.ServiceException' : 'ThrottlingException',
        });
      }
      await real(event);
      throw Object.assign(new Error('injected timeout'), { name: 'Lambda.ClientExecutionTimeoutException' });
    };
  };
  return { replace: Object.fromEntries(DRILL_TASKS.map((t) => [t, wrap(t)])), injected: () => injected };
}

/** A compromised instance with one 1 GiB volume holding 3 MiB of random written data. */
export async function diskInstance(ec2: EC2Client, endpoint: string, region: string) {
  const target = await launchDiskInstance(ec2);
  await seedVolume(endpoint, { region, volumeId: target.volumeId, data: randomBytes(3 * 1024 * 1024) });
  return target;
}
