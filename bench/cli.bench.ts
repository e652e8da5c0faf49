import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCli } from '../scripts/build-cli';
import { type Figure, round } from './figures';

const RUNS = 15;
const BIN = path.join(__dirname, '..', 'bin', 'sequester.js');

/** Wall time of one process, from spawn to exit (what a person waits for). */
function once(args: ReadonlyArray<string>): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, {
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home' },
  });
  return performance.now() - t0;
}

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/**
 * Start-up of the built CLI (`npm run build`, then `sequester --help` through bin/sequester.js, as an
 * installed package runs it) against a bare `node -e 0` in the same run. The two alternate, so both see
 * the same machine load; best and median of each are reported. Target: help within 3x the baseline.
 */
export default async function cliBench(): Promise<Figure[]> {
  const built = buildCli();
  const help: number[] = [];
  const baseline: number[] = [];
  // One unmeasured run of each: the first start reads the files from disk.
  once([BIN, '--help']);
  once(['-e', '0']);
  for (let i = 0; i < RUNS; i += 1) {
    help.push(once([BIN, '--help']));
    baseline.push(once(['-e', '0']));
  }
  const best = Math.min(...help);
  const base = Math.min(...baseline);
  return [
    { name: 'cli.bundle_bytes', value: built.bytes, unit: 'bytes' },
    { name: 'cli.build_ms', value: built.ms, unit: 'ms' },
    { name: 'cli.help_ms', value: round(best), unit: 'ms' },
    { name: 'cli.help_median_ms', value: round(median(help)), unit: 'ms' },
    { name: 'cli.node_baseline_ms', value: round(base), unit: 'ms' },
    { name: 'cli.node_baseline_median_ms', value: round(median(baseline)), unit: 'ms' },
    { name: 'cli.help_ratio_to_node', value: round(best / base), unit: 'x' },
  ];
}
