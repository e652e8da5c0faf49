import { join } from 'node:path';
import type { Bench } from './figures';

/** Runs one bench module and prints its figures as JSON on the last line of stdout (see index.ts). */
async function runOne(file: string): Promise<void> {
  const mod = (await import(join(__dirname, file))) as { default: Bench };
  const figures = await mod.default();
  process.stdout.write(`\n${JSON.stringify(figures)}\n`);
}

runOne(process.argv[2] ?? '').then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
