import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('keeps zod to the validators each handler uses (zod/mini tree-shaken, never all of classic zod)', () => {
    // Classic zod's method-chaining API cannot be tree-shaken: it adds about 450 KB and 40 ms of cold
    // start to every bundle. The Lambda-side schemas use zod/mini, which bundles to a few tens of KB.
    for (const b of built) {
      expect({ entry: b.entry, zodUnder64KiB: (b.packageBytes.zod ?? 0) < 64 * 1024 }).toEqual({
        entry: b.entry,
        zodUnder64KiB: true,
      });
    }
  });

  it('reports validation errors in English from inside a bundle (zod/mini loads no locale itself)', () => {
    // Arrange: the isolate bundle, given a task input without its quarantine id.
    const isolate = built.find((b) => b.entry === 'isolate');
    if (isolate === undefined) throw new Error('no isolate bundle');
    const script = `require(${JSON.stringify(isolate.file)}).handler({}).then(() => console.log('accepted'), (e) => console.log(e.name + ': ' + e.message))`;

    // Act
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', LEDGER_TABLE: 'ledger' },
    }).toString();

    // Assert: the field is named, and the message says what was wrong, not only "Invalid input".
    expect(out.trim()).toBe(
      'InvalidInputError: quarantineId: Invalid input: expected string, received undefined',
    );
  });

  it('starts the digest threads from inside the export-segment bundle, without esbuild or the sources', () => {
    // Arrange: the bundle alone in an empty directory, so nothing can be resolved from the repository.
    const exporter = built.find((b) => b.entry === 'export-segment');
    if (exporter === undefined) throw new Error('no export-segment bundle');
    const alone = mkdtempSync(path.join(tmpdir(), 'sequester-bundle-alone-'));
    copyFileSync(exporter.file, path.join(alone, 'index.js'));
    const script = `require('./index.js').digestSelfTest().then((r) => console.log(JSON.stringify(r)), (e) => console.log('failed: ' + e.message))`;

    // Act
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: alone,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        LEDGER_TABLE: 'ledger',
        VAULT_BUCKET: 'vault',
      },
    }).toString();
    rmSync(alone, { recursive: true, force: true });

    // Assert: the threads digested a known block as createHash does, and found the planted key.
    expect(JSON.parse(out.trim())).toEqual({ sha256: true, scan: ['private-key'] });
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
