import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LAMBDA_NAMES } from '../../policies/responder-statements';
import { type BundleResult, bundle, presentEntries } from '../../scripts/bundle';

/** Each handler as the stack ships it: one esbuild bundle per entry, loaded in a fresh Node process. */
describe('Script: scripts/bundle.ts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sequester-bundle-test-'));
  let built: BundleResult[];
  beforeAll(() => {
    built = bundle({ entries: presentEntries(LAMBDA_NAMES), outDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds one bundle per handler entry point present in lambdas/handlers', () => {
    expect(built.map((b) => b.entry)).toEqual(presentEntries(LAMBDA_NAMES));
    expect(built.length).toBeGreaterThanOrEqual(11);
  });

  it('writes a linked source map beside each bundle', () => {
    for (const b of built) {
      expect(existsSync(`${b.file}.map`)).toBe(true);
      expect(readFileSync(b.file, 'utf8')).toContain('//# sourceMappingURL=index.js.map');
    }
  });

  it('produces bundles that load in a fresh Node process and export a handler function', () => {
    for (const b of built) {
      const out = execFileSync(
        process.execPath,
        ['-e', `console.log(typeof require(${JSON.stringify(b.file)}).handler)`],
        {
          env: { PATH: process.env.PATH ?? '' },
        },
      );
      expect({ entry: b.entry, handler: out.toString().trim() }).toEqual({
        entry: b.entry,
        handler: 'function',
      });
    }
  });

  it('bundles only the SDK clients an entry uses (notify: DynamoDB and SNS)', () => {
    const notify = built.find((b) => b.entry === 'notify');
    expect(notify?.sdkClients).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sns',
      '@aws-sdk/lib-dynamodb',
    ]);
  });
});
