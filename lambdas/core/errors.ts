// Imported for its effect: zod issues carry English messages, which fromZodIssues reports.
import './schemas/zod-locale';
import type * as z from 'zod/mini';

/**
 * One base class for every error Sequester raises on purpose. Subclasses set `name` so logs and the
 * ledger say what kind of failure happened, and keep the underlying AWS error as `cause`.
 */
export class SequesterError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SequesterError';
  }
}

/** The request or event failed validation. `field` names the first bad field (dotted path). */
export class InvalidInputError extends SequesterError {
  public constructor(
    message: string,
    public readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/**
 * The instance must not be quarantined (not found, terminated, exempt, already held by another
 * quarantine). Nothing was changed. `detail` goes into the ledger's refusal entry.
 */
export class RefusedError extends SequesterError {
  public readonly detail?: Readonly<Record<string, unknown>>;
  public constructor(
    message: string,
    public readonly code:
      | 'NOT_FOUND'
      | 'TERMINATED'
      | 'EXEMPT'
      | 'DUPLICATE'
      | 'NOT_QUARANTINED'
      | 'EVIDENCE_NOT_SEALED',
    options?: { cause?: unknown; detail?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options);
    this.name = 'RefusedError';
    if (options?.detail !== undefined) this.detail = options.detail;
  }
}

/** A quarantine record is missing or in a state that does not allow the operation. */
export class LedgerError extends SequesterError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerError';
  }
}

/** An AWS step failed; the ledger records it and a retry or a release can complete the work. */
export class StepFailedError extends SequesterError {
  public constructor(
    message: string,
    public readonly step: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StepFailedError';
  }
}

/** Parses `input` at a boundary; a bad value throws one InvalidInputError naming the first bad field. */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw fromZodIssues(r.error.issues);
  return r.data;
}

/** Turns a zod error into one InvalidInputError naming the first bad field: `path: message; ...`. */
export function fromZodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): InvalidInputError {
  const parts = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  const field = issues[0]?.path.map(String).join('.') ?? '';
  return new InvalidInputError(parts.join('; '), field || '(root)');
}

/** One line naming a failure for the record: `<AWS error code or Error>: <message>`, capped. */
export function reasonOf(err: unknown, max = 300): string {
  return `${awsErrorName(err) ?? 'Error'}: ${err instanceof Error ? err.message : String(err)}`.slice(0, max);
}

/** The AWS error code of an SDK v3 error, if it has one. */
export function awsErrorName(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') {
    return err.name;
  }
  return undefined;
}
