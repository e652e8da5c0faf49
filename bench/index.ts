import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, Figure } from './figures';

/**
 * Runs every `bench/*.bench.ts` (or the ones named on the command line), prints one line per figure
 * (`name: value unit`) and writes all figures as one flat JSON object to bench-results.json.
 */
async function main(): Promise<void> {
  // Figures only on stdout: the handlers' structured logs and the SDK's Node 20 notice would interleave.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const results: Record<string, number> = {};
  let failed = false;
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as { default: Bench };
    try {
      const figures: ReadonlyArray<Figure> = await mod.default();
      for (const f of figures) {
        console.log(`${f.name}: ${f.value} ${f.unit}`);
        results[f.name] = f.value;
      }
    } catch (err) {
      failed = true;
      console.error(`${file} failed:`, err);
    }
  }
  writeFileSync(join(__dirname, '..', 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (failed) process.exitCode = 1;
}

void main();
