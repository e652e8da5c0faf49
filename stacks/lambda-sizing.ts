import type { LambdaName } from '../policies/responder-statements';

/** Lambda's own default when a function sets none; ResponderFunction uses it too. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Export workers move up to a segment of parts each; the activity step reads a week of trail files
 * (gunzip and JSON.parse: CPU-bound); the reach step makes a few calls per data store of every covered
 * region; the others are short API calls. Lambda gives CPU in proportion to memory, one vCPU's worth at
 * 1,769 MB: the export digests every byte twice and scans it once on two worker threads
 * (lambdas/core/evidence/digest/pool.ts), so it gets two vCPUs' worth (2 x 1,769 MB): twice the
 * GB-seconds per second, for up to twice the throughput where the export is CPU-bound (measured on a
 * 2-core machine by `npm run bench -- evidence`, not on Lambda).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export const SIZING: Partial<Record<LambdaName, { timeoutSeconds: number; memoryMb: number }>> = {
  'export-segment': { timeoutSeconds: 900, memoryMb: 3538 },
  'investigate-activity': { timeoutSeconds: 900, memoryMb: 1769 },
  'investigate-reach': { timeoutSeconds: 600, memoryMb: 1024 },
  'complete-export': { timeoutSeconds: 300, memoryMb: 512 },
  'seal-manifest': { timeoutSeconds: 300, memoryMb: 1024 },
};

/** How long a Lambda of the responder may run: the bound of its Task state, which sets no TimeoutSeconds. */
export const lambdaTimeoutSeconds = (name: LambdaName) =>
  SIZING[name]?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
