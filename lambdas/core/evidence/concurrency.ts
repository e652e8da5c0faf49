import { awsErrorName } from '../errors';

/** Error names AWS uses for request-rate limits (EBS direct APIs, S3, EC2). */
export const THROTTLING_ERRORS = new Set([
  'RequestThrottledException',
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

export interface BackoffOptions {
  readonly retries: number;
  readonly baseMs: number;
  readonly maxMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries `fn` when AWS throttles it, with full-jitter exponential backoff, on top of the SDK's own
 * retries: a sustained EBS direct API throttle (about 1,000 GetSnapshotBlock/s per snapshot) must slow
 * the worker down, not fail the export.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-performance.html
 */
export async function withBackoff<T>(fn: () => Promise<T>, o: BackoffOptions): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= o.retries || !THROTTLING_ERRORS.has(awsErrorName(err) ?? '')) throw err;
      const cap = Math.min(o.maxMs ?? 20_000, o.baseMs * 2 ** attempt);
      await sleep(Math.random() * cap);
    }
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; results keep the input order. After a failure
 * no new item starts, and the call rejects (with the first error) only once the running ones have
 * settled: nothing keeps writing to S3 or the ledger after a Lambda has returned its error, where a
 * frozen sandbox could resume it during the retry.
 */
export async function mapLimit<T, R>(
  items: ReadonlyArray<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next;
      next += 1;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** A counting semaphore: bounds requests in flight across concurrently processed parts. */
export class Semaphore {
  private waiting: Array<() => void> = [];
  public constructor(private free: number) {}

  public async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.free += 1;
      else next();
    }
  }
}
