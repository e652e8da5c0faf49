import type { LambdaName } from '../policies/responder-statements';

/** Lambda's own default when a function sets none; ResponderFunction uses it too. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Export workers move up to a segment of parts each; the others are short API calls. */
export const SIZING: Partial<Record<LambdaName, { timeoutSeconds: number; memoryMb: number }>> = {
  'export-segment': { timeoutSeconds: 900, memoryMb: 1769 },
  'complete-export': { timeoutSeconds: 300, memoryMb: 512 },
  'seal-manifest': { timeoutSeconds: 300, memoryMb: 1024 },
};

/** How long a Lambda of the responder may run: the bound of its Task state, which sets no TimeoutSeconds. */
export const lambdaTimeoutSeconds = (name: LambdaName) =>
  SIZING[name]?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
