import { awsErrorName } from './errors';

/**
 * EC2's API is eventually consistent: "if you run a command to modify or describe the resource that you
 * just created, its ID might not have propagated throughout the system, and you will get an error
 * responding that the resource does not exist." The SDK does not retry these errors, and AWS advises
 * retrying with a capped exponential backoff.
 * https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 */
export const NOT_YET_VISIBLE = {
  group: 'InvalidGroup.NotFound',
  snapshot: 'InvalidSnapshot.NotFound',
  networkInterface: 'InvalidNetworkInterfaceID.NotFound',
} as const;

export interface BackoffOptions {
  /** Attempts in all, the first included (default 6: about 6 s of waiting at most). */
  readonly attempts?: number;
  /** First wait in ms, doubled after each attempt (default 200). */
  readonly baseMs?: number;
  /** Longest single wait in ms (default 3000). */
  readonly maxMs?: number;
  /** Replaces setTimeout (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The wait before attempt `n + 1` (n from 1): doubling from baseMs, capped, with half-jitter. */
export function backoffMs(n: number, o: BackoffOptions = {}): number {
  const cap = Math.min(o.maxMs ?? 3000, (o.baseMs ?? 200) * 2 ** (n - 1));
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

/**
 * Calls `call`, retrying with backoff while it fails with one of `codes`: use it only for ids this run
 * created or just read from AWS, where "not found" means "not visible yet". Any other error, or the
 * last attempt's error, is thrown as it is.
 */
export async function retryWhileNotVisible<T>(
  codes: ReadonlyArray<string>,
  call: () => Promise<T>,
  o: BackoffOptions = {},
): Promise<T> {
  const attempts = o.attempts ?? 6;
  const sleep = o.sleep ?? defaultSleep;
  for (let n = 1; ; n += 1) {
    try {
      return await call();
    } catch (err) {
      if (n >= attempts || !codes.includes(awsErrorName(err) ?? '')) throw err;
      await sleep(backoffMs(n, o));
    }
  }
}

/**
 * Re-reads with backoff until `settled` accepts the result (or attempts run out): for checks right
 * after a change, where a stale read is not yet a finding. Returns the last result either way.
 */
export async function rereadUntil<T>(
  read: () => Promise<T>,
  settled: (v: T) => boolean,
  o: BackoffOptions = {},
): Promise<T> {
  const attempts = o.attempts ?? 4;
  const sleep = o.sleep ?? defaultSleep;
  let v = await read();
  for (let n = 1; n < attempts && !settled(v); n += 1) {
    await sleep(backoffMs(n, { baseMs: 500, ...o }));
    v = await read();
  }
  return v;
}
