/**
 * Retry policies of the quarantine workflow. Step Functions names a Lambda's error by the thrown error's
 * `name`, so the SDK's throttling error codes arrive unchanged; Lambda's own service errors have fixed
 * names. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const THROTTLING_ERRORS = [
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottledException',
  'SlowDown',
  'TooManyRequestsException',
] as const;

export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

export interface Retrier {
  readonly ErrorEquals: ReadonlyArray<string>;
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** Throttling backs off longer than a Lambda hiccup: the limit is shared with everything else. */
export const TASK_RETRY: ReadonlyArray<Retrier> = [
  {
    ErrorEquals: [...THROTTLING_ERRORS],
    IntervalSeconds: 2,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  { ErrorEquals: [...LAMBDA_SERVICE_ERRORS], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2 },
];

/**
 * Recording the failure must not itself be lost to a transient error: any error is retried a few times
 * (the record-failure core is idempotent) before the execution fails.
 */
export const RECORD_FAILURE_RETRY: ReadonlyArray<Retrier> = [
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 30 },
];
