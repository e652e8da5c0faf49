import { awsErrorName } from '../errors';

/** One line naming an AWS failure for the record: `<ErrorName>: <message>`, capped. */
export function reasonOf(err: unknown, max = 300): string {
  return `${awsErrorName(err) ?? 'Error'}: ${err instanceof Error ? err.message : String(err)}`.slice(0, max);
}
