import { awsErrorName, reasonOf } from '../errors';
import { THROTTLING_ERRORS } from '../workflow/retry';

/**
 * Errors worth the workflow's retry (its Retry matches the error's name): AWS throttling. Everything
 * else an investigation step meets (AccessDenied, a missing bucket or trail, a malformed record...) is
 * an answer about coverage, recorded as `unavailable`, and never fails the quarantine.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export const isTransient = (err: unknown): boolean =>
  (THROTTLING_ERRORS as ReadonlyArray<string>).includes(awsErrorName(err) ?? '');

/** `<AWS error code or Error>: <message>`, short enough for the ledger. */
export const failureReason = (err: unknown): string => reasonOf(err, 500);
