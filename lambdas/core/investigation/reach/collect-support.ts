import type * as z from 'zod/mini';
import type { DocumentLike } from '../../../../policies/evaluation';
import { awsErrorName } from '../../errors';
import { mapLimit } from '../../evidence/concurrency';
import type { StoreFacts } from './snapshot-set';

/** Something the collector could not read, and why (the AWS error). Recorded, never thrown. */
export interface Unknown {
  readonly what: string;
  readonly reason: string;
}

/** A resource policy (bucket, secret, table, key policy) in the snapshots' `resources` form. */
export interface ResourceEntry {
  readonly arn: string;
  readonly accountId: string;
  readonly policy: DocumentLike | null;
}

/** A store whose data is encrypted under a KMS key named as its service reports it (id, ARN or alias). */
export interface KeyRef {
  readonly store: number;
  readonly region: string;
  readonly ref: string;
}

/** What a store collector returns: the stores, their policies, keys to resolve, and what it could not read. */
export interface Collected {
  readonly stores: Array<Omit<StoreFacts, 'kmsKeyArn'> & { kmsKeyArn: string | null }>;
  readonly resources: ResourceEntry[];
  readonly keys: KeyRef[];
  readonly unknown: Unknown[];
}
export const emptyCollected = (): Collected => ({ stores: [], resources: [], keys: [], unknown: [] });

export function reasonOf(err: unknown): string {
  const name = awsErrorName(err) ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** `fn`'s value, or `fallback` when AWS answers with one of `absent` (e.g. NoSuchBucketPolicy = no policy). */
export async function orAbsent<T>(
  fn: () => Promise<T>,
  absent: ReadonlyArray<string>,
  fallback: T,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (absent.includes(awsErrorName(err) ?? '')) return fallback;
    throw err;
  }
}

/** Parses a policy document AWS returned as JSON text (null for none). */
export function policyOf(text: string | undefined | null): DocumentLike | null {
  if (text === undefined || text === null || text === '') return null;
  return JSON.parse(text) as DocumentLike;
}

/** Parses an AWS response at the boundary (the JSON-protocol collectors get `unknown` back). */
export function parsed<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`unexpected ${what} response: ${r.error.issues[0]?.path.join('.') ?? ''}`);
  return r.data;
}

export const tagsOf = (
  tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined,
) => Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));

/**
 * The per-store reads of one page run concurrently (up to `limit`): a collection's sequential round trips
 * grow with its pages (and pages of more than `limit` stores), not one by one with its stores. Services have
 * no batch read of resource policies, so the number of calls does grow with the stores.
 */
export const PER_PAGE_CONCURRENCY = 100;
export const perStore = <T, R>(
  items: ReadonlyArray<T>,
  fn: (item: T) => Promise<R>,
  limit = PER_PAGE_CONCURRENCY,
) => mapLimit(items, limit, (item) => fn(item));
