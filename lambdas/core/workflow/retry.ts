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
 * An export segment that timed out or ran out of memory fails as `Lambda.Unknown` ("Unhandled errors in
 * Lambda are reported as Lambda.Unknown ... These include out-of-memory errors and function timeouts"),
 * which the Lambda service errors above do not match. A segment is idempotent (S3 keeps the last upload
 * of a part number), so it is worth one or two more attempts before the quarantine fails; a segment that
 * never fits its 15 minutes still fails after them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const LAMBDA_UNKNOWN_ERROR = 'Lambda.Unknown';

export const EXPORT_SEGMENT_RETRY: ReadonlyArray<Retrier> = [
  ...TASK_RETRY,
  { ErrorEquals: [LAMBDA_UNKNOWN_ERROR], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 2 },
];

/**
 * Recording the failure must not itself be lost to a transient error: any error is retried a few times
 * (the record-failure core is idempotent) before the execution fails.
 */
export const RECORD_FAILURE_RETRY: ReadonlyArray<Retrier> = [
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 30 },
];
