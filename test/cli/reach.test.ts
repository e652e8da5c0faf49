import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allow, BUCKET, deny, doc, s3Store, snapshotSet } from '../unit/investigation/reach/reach-fixtures';
import { lastJson, runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'sequester-cli-reach-'));
function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const set = snapshotSet({
  identity: [allow(['s3:GetObject', 's3:ListBucket'])],
  stores: [s3Store(BUCKET, { tags: { 'data-classification': 'customer\u001b[31m' } })],
});

describe('sequester reach --authz', () => {
  it('prints reach.json content with --json: the bucket readable before isolation, not after', async () => {
    const run = await runCli(['reach', '--authz', write('set.json', set), '--json']);
    expect(run.code).toBe(0);
    const report = lastJson(run) as {
      summary: Record<string, number>;
      stores: Array<{ fromInstance: { readable: string } }>;
    };
    expect(report.summary).toMatchObject({
      reachableBeforeIsolation: 1,
      reachableAfterIsolation: 0,
      classifiedReachable: 1,
    });
    expect(report.stores[0]?.fromInstance.readable).toBe('yes');
  });

  it('answers "what if" offline: a bucket policy deny added to the file makes the bucket unreadable', async () => {
    const denied = structuredClone(set);
    denied.instance.resources.push({
      arn: BUCKET,
      accountId: denied.instance.principal.accountId,
      policy: doc(deny('s3:*', '*', { Principal: '*' })),
    });
    const run = await runCli(['reach', '--authz', write('what-if.json', denied), '--json']);
    expect(run.code).toBe(0);
    expect(
      (lastJson(run) as { summary: { reachableBeforeIsolation: number } }).summary.reachableBeforeIsolation,
    ).toBe(0);
  });

  it('prints a table with the three contexts and escapes control characters from the account', async () => {
    const run = await runCli(['reach', '--authz', write('table.json', set)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /STORE\s+TYPE\s+REGION\s+VIA\s+CLASSIFICATION\s+INSTANCE\s+INTERNET\s+ISOLATED/,
    );
    expect(run.stdout).toMatch(
      /arn:aws:s3:::customer-data\s+s3\s+eu-west-1\s+web-role\s+data-classification=customer\\u\{1b\}\[31m\s+yes\s+yes\s+no/,
    );
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('readable before isolation: 1 (1 classified)');
  });

  it('exits 2 with one line naming the bad field of a malformed snapshot set', async () => {
    const bad = structuredClone(set) as unknown as { stores: Array<Record<string, unknown>> };
    (bad.stores[0] as Record<string, unknown>).type = 'ftp';
    const run = await runCli(['reach', '--authz', write('bad.json', bad)]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('stores.0.type');
  });
});
