import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { DIGEST_WORKER_BUILD } from '../lambdas/core/evidence/digest/source';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const HANDLERS_DIR = path.join(REPO_ROOT, 'lambdas', 'handlers');
/** `build/lambdas/<entry>/index.js`: one directory per entry point, zipped as it is by Pulumi. */
export const BUNDLE_DIR = path.join(REPO_ROOT, 'build', 'lambdas');

export interface BundleOptions {
  /** Entry names (`lambdas/handlers/<name>.ts`). */
  readonly entries: ReadonlyArray<string>;
  readonly outDir?: string;
  /** Defaults to the handler directory; the bench bundles its own SDK-only baselines from elsewhere. */
  readonly entryFile?: (name: string) => string;
}

export interface BundleResult {
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
  /** The AWS SDK client and helper packages in the bundle (`@aws-sdk/client-ec2`, `@aws-sdk/lib-dynamodb`...). */
  readonly sdkClients: ReadonlyArray<string>;
  /** Bytes each npm package contributes to the output (`zod`, `@aws-sdk/core`...), after tree shaking. */
  readonly packageBytes: Readonly<Record<string, number>>;
}

/**
 * Bundles each entry point on its own for the Lambda Node.js 22 runtime on arm64: CommonJS, minified,
 * with a linked source map (the functions run with --enable-source-maps). The AWS SDK is bundled, not
 * taken from the runtime, so the deployed code runs the SDK version it was tested with, and tree shaking
 * keeps only the clients an entry uses.
 * https://docs.aws.amazon.com/lambda/latest/dg/typescript-package.html
 */
export function bundle(o: BundleOptions): BundleResult[] {
  const outDir = o.outDir ?? BUNDLE_DIR;
  // The export worker's digest thread, built first and inlined where digest/source.ts reads it: the
  // thread starts from this string (`new Worker(code, { eval: true })`), so the package stays one file.
  const worker = buildSync(DIGEST_WORKER_BUILD).outputFiles[0]?.text;
  if (worker === undefined) throw new Error('esbuild produced no digest worker');
  const entryFile = o.entryFile ?? ((name: string) => path.join(HANDLERS_DIR, `${name}.ts`));
  return o.entries.map((entry) => {
    const dir = path.join(outDir, entry);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'index.js');
    const result = buildSync({
      metafile: true,
      entryPoints: [entryFile(entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'error',
      // The SDK ships ES module builds that tree-shake better than its CommonJS ones.
      mainFields: ['module', 'main'],
      // Entries generated outside the repo (the bench's SDK baselines) resolve packages from here too.
      nodePaths: [path.join(REPO_ROOT, 'node_modules')],
      define: { SEQUESTER_DIGEST_WORKER: JSON.stringify(worker) },
      // Only the development path of digest/source.ts requires esbuild, never taken in a bundle.
      external: ['esbuild'],
    });
    const sdkClients = new Set<string>();
    const packageBytes: Record<string, number> = {};
    // Inputs that kept bytes in the output: parsed-but-tree-shaken modules do not count.
    for (const output of Object.values(result.metafile?.outputs ?? {})) {
      for (const [input, use] of Object.entries(output.inputs)) {
        const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
        if (pkg !== undefined) packageBytes[pkg] = (packageBytes[pkg] ?? 0) + use.bytesInOutput;
        const m =
          /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb|lib-storage|credential-providers))\//.exec(
            input,
          );
        if (m?.[1] !== undefined && use.bytesInOutput > 0) sdkClients.add(m[1]);
      }
    }
    return { entry, file, bytes: statSync(file).size, sdkClients: [...sdkClients].sort(), packageBytes };
  });
}

/** The handler entry points present in lambdas/handlers (other sessions add theirs over time). */
export const presentEntries = (names: ReadonlyArray<string>) =>
  names.filter((n) => existsSync(path.join(HANDLERS_DIR, `${n}.ts`)));

if (require.main === module) {
  const { LAMBDA_NAMES } =
    require('../policies/responder-statements') as typeof import('../policies/responder-statements');
  const missing = LAMBDA_NAMES.filter((n) => !presentEntries(LAMBDA_NAMES).includes(n));
  if (missing.length > 0) {
    console.error(`missing handler entry points: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
  for (const r of bundle({ entries: presentEntries(LAMBDA_NAMES) })) {
    console.log(`${r.entry}: ${(r.bytes / 1024).toFixed(0)} KiB -> ${path.relative(REPO_ROOT, r.file)}`);
  }
}
