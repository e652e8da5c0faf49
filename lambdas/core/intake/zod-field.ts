import type * as z from 'zod/mini';
import { fromZodIssues, type InvalidInputError } from '../errors';

/**
 * Turns zod issues into one InvalidInputError whose `field` names the bad field. Unlike the shared
 * `fromZodIssues`, an unknown key (a typo such as `dryrun`) is named itself instead of its parent, and
 * an optional prefix says where the document came from (`config.severityFloor`).
 */
export function invalidInputFrom(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  prefix?: string,
): InvalidInputError {
  return fromZodIssues(
    issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? i.keys.slice(0, 1) : [];
      return {
        path: [...(prefix === undefined ? [] : [prefix]), ...i.path, ...keys],
        message: i.message,
      };
    }),
  );
}
