import { InvalidInputError, SequesterError } from '../lambdas/core/errors';

/** Exit codes of every command, documented in `sequester --help`. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (for "evidence verify": every image matches its manifest)
  1  failure (AWS or API error, verification mismatch, quarantine failed, timeout)
  2  bad input (invalid or missing argument, unreadable file, unknown quarantine, incident or instance)`;

/** Something the user named does not exist (quarantine, incident, instance): their input is wrong. */
export class NotFoundError extends SequesterError {
  public constructor(
    message: string,
    public readonly what: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The on-call API answered with an error status; 4xx other than auth is the caller's input. */
export class ApiError extends SequesterError {
  public constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A check ran and said no (verification mismatch, failed quarantine): exit 1 with its own message. */
export class CheckFailedError extends SequesterError {
  public constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** 409 (refused in the current state) is not bad input: the request was valid, the answer is no. */
const BAD_INPUT_STATUSES = new Set([400, 404, 405, 413, 415, 422]);

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof InvalidInputError || err instanceof NotFoundError) return EXIT.badInput;
  if (err instanceof ApiError && BAD_INPUT_STATUSES.has(err.status)) return EXIT.badInput;
  return EXIT.failure;
}

/** One line naming what was wrong: `error: <field>: <message>` without a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof InvalidInputError) {
    const msg = err.message.replace(/\s+/g, ' ');
    return msg.startsWith(err.field) ? msg : `${err.field}: ${msg}`;
  }
  if (err instanceof Error && err.name === 'CredentialsProviderError') {
    return 'no AWS credentials found: set AWS_PROFILE or pass --profile, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  }
  if (err instanceof Error) {
    const name = err instanceof SequesterError ? '' : `${err.name}: `;
    return `${name}${err.message}`.replace(/\s+/g, ' ').trim();
  }
  return String(err);
}

/** Everything --debug shows: the stack and each cause's stack. */
export function debugDetail(err: unknown): string {
  const lines: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && depth < 5; depth += 1) {
    lines.push(cur instanceof Error ? (cur.stack ?? cur.message) : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
    if (cur !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}
