import { Console } from 'node:console';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface LambdaLogFile {
  /** Where the handlers' log lines went (printed by the summary). */
  readonly path: string;
  /** Flushes the file and puts the console back. */
  close(): Promise<void>;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * The demo runs the real Lambda handlers in its own process; their Powertools Logger writes one JSON
 * line per event to stdout and stderr, which would interleave with the progress display and the
 * summary. With POWERTOOLS_DEV set, the Logger writes through the global `console` (pretty-printed)
 * instead of its own Console on process.stdout/stderr; this points that console at a file, so every
 * line is kept there and the terminal shows only the demo. Call before any handler module is loaded:
 * a Logger picks its console when it is constructed (at the handler module's load).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/ (POWERTOOLS_DEV)
 */
export function redirectLambdaLogs(dir: string): LambdaLogFile {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `lambdas-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const stream = createWriteStream(path, { flags: 'a' });
  const file = new Console({ stdout: stream, stderr: stream });
  const saved = METHODS.map((m) => [m, console[m]] as const);
  process.env.POWERTOOLS_DEV = 'true';
  for (const m of METHODS) console[m] = file[m].bind(file);
  let closed: Promise<void> | undefined;
  return {
    path,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const [m, fn] of saved) console[m] = fn;
        stream.end(() => resolve());
      });
      return closed;
    },
  };
}
