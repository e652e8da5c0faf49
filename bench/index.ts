import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './figures';

/**
 * Runs every `bench/*.bench.ts` (or the ones named on the command line), each in a fresh Node process so
 * one bench's memory and module state never skew another's figures (peak RSS, load times). Prints one
 * line per figure (`name: value unit`) and writes all figures as one flat JSON object to
 * bench-results.json.
 */
function main(): void {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const results: Record<string, number> = {};
  let failed = false;
  for (const file of files) {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'run-one.ts'), file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        // Figures only on stdout: the handlers' structured logs and the SDK's Node 20 notice would interleave.
        env: {
          POWERTOOLS_LOG_LEVEL: 'WARN',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...process.env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !last.startsWith('[')) {
      failed = true;
      console.error(`${file} failed (exit ${run.status})`);
      continue;
    }
    for (const f of JSON.parse(last) as Figure[]) {
      console.log(`${f.name}: ${f.value} ${f.unit}`);
      results[f.name] = f.value;
    }
  }
  writeFileSync(join(__dirname, '..', 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (failed) process.exitCode = 1;
}

main();
