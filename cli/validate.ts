import type * as z from 'zod/mini';
import { InvalidInputError } from '../lambdas/core/errors';

/**
 * Validates one command-line value with the project's zod schemas (lambdas/core/schemas/ids.ts), so the
 * CLI accepts exactly what the API and the engine accept. `name` is how the user typed it
 * (`<instance-id>`, `--reason`), and the error names it.
 */
export function parseArg<S extends z.ZodMiniType>(schema: S, value: unknown, name: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const shown = typeof value === 'string' ? ` (got "${value.slice(0, 80)}")` : '';
  throw new InvalidInputError(`${name}: ${issue?.message ?? 'invalid value'}${shown}`, name);
}

/** Parses a positive integer option such as --timeout or --concurrency. */
export function parsePositiveInt(value: string, name: string, max = 1_000_000): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidInputError(`${name}: must be an integer from 1 to ${max} (got "${value}")`, name);
  return n;
}
