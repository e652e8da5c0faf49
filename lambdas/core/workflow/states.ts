import { type Retrier, TASK_RETRY } from './retry';

/** One state of Amazon States Language, as plain JSON. https://states-language.net/spec.html */
export type State = Record<string, unknown>;

/** The Pass state that names a failed step (`$.failedStep`) on its way to the failure path. */
export const failedAt = (step: string) => `FailedAt-${step}`;

/**
 * A Lambda task state (direct ARN integration: the state's result is the handler's return value) whose
 * every failure, after the retries, goes to `catchNext` with the error in `$.error`.
 */
export function taskState(
  arn: string,
  next: string | undefined,
  catchNext: string,
  extra: State = {},
  retry: ReadonlyArray<Retrier> = TASK_RETRY,
): State {
  return {
    Type: 'Task',
    Resource: arn,
    ...extra,
    Retry: retry,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: catchNext }],
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** A Pass state writing the failed step's name into `$.failedStep`, then going on to `next`. */
export const namingStep = (step: string, next: string): State => ({
  Type: 'Pass',
  Result: step,
  ResultPath: '$.failedStep',
  Next: next,
});
