import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * Replaced by scripts/bundle.ts (esbuild `define`) with the bundled code of worker.ts, so the Lambda
 * package carries the digest thread inside its one file and starts it with `new Worker(code, { eval })`.
 */
declare const SEQUESTER_DIGEST_WORKER: string | undefined;

/** esbuild options of the digest thread's bundle: the Lambda build and the development build share them. */
export const DIGEST_WORKER_BUILD: BuildOptions & { write: false } = {
  entryPoints: [path.join(__dirname, 'worker.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
  write: false,
};

let built: string | undefined;

/**
 * The digest thread's JavaScript. Outside a Lambda bundle (tests, bench, demo run TypeScript through
 * SWC, which a worker thread does not inherit) it is bundled here once per process with esbuild, a
 * development dependency the Lambda bundle marks external and never reaches.
 */
export function digestWorkerSource(): string {
  if (typeof SEQUESTER_DIGEST_WORKER === 'string') return SEQUESTER_DIGEST_WORKER;
  if (built === undefined) {
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync(DIGEST_WORKER_BUILD).outputFiles?.[0];
    if (out === undefined) throw new Error('esbuild produced no digest worker');
    built = out.text;
  }
  return built;
}
