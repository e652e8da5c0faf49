import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJson, runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'sequester-cli-iam-'));
function writeSnapshot(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const ACCOUNT = '111122223333';
/** The sample snapshot, with an identity policy that allows reading the bucket's objects. */
function sample(actions: string[] = ['s3:GetObject']) {
  return {
    version: 1,
    principal: {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/i-0aaa1111aaaa1111a`,
      accountId: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/web-role`,
      tags: { team: 'red' },
    },
    identityPolicies: [
      {
        name: 'app',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Read', Effect: 'Allow', Action: actions, Resource: 'arn:aws:s3:::data-bucket/*' },
          ],
        },
      },
    ],
    permissionsBoundary: null,
    sessionPolicies: [],
    scps: [[{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }]],
    rcps: {},
    resources: [{ arn: 'arn:aws:s3:::data-bucket', accountId: ACCOUNT, policy: null }],
    requests: [
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::data-bucket/a.txt',
        context: { 'aws:SourceIp': '203.0.113.7' },
      },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::data-bucket/a.txt' },
    ],
  };
}

describe('sequester iam evaluate', () => {
  it('prints one result per request, in order, with the deciding statements, and exits 0', async () => {
    // Prepare
    const file = writeSnapshot('sample.json', sample());
    // Act
    const run = await runCli(['iam', 'evaluate', file, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(lastJson(run)).toEqual({
      results: [
        {
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::data-bucket/a.txt',
          decision: 'Allowed',
          decidedBy: [{ policy: 'identity:app', statement: 0, sid: 'Read' }],
        },
        {
          action: 's3:PutObject',
          resource: 'arn:aws:s3:::data-bucket/a.txt',
          decision: 'ImplicitDeny',
          decidedBy: [],
        },
      ],
    });
  });

  it('prints the same document as indented JSON without --json', async () => {
    // Prepare
    const file = writeSnapshot('sample-human.json', sample());
    // Act
    const run = await runCli(['iam', 'evaluate', file]);
    // Assess
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { results: unknown[] }).results).toHaveLength(2);
  });

  it('warns on stderr about an unknown action and still exits 0 with the decisions', async () => {
    // Prepare
    const file = writeSnapshot('typo.json', sample(['s3:GetObject', 's3:GetObjekt']));
    // Act
    const run = await runCli(['iam', 'evaluate', file, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'sequester: warning: identityPolicies.0.document.Statement.0.Action.1: unknown action "s3:GetObjekt"\n',
    );
    expect((lastJson(run) as { results: Array<{ decision: string }> }).results[0]?.decision).toBe('Allowed');
  });

  it('exits 2 with one line naming the bad field of a malformed snapshot', async () => {
    // Prepare
    const bad = sample();
    (bad.requests[1] as { action: string }).action = 'PutObject';
    const file = writeSnapshot('bad-action.json', bad);
    // Act
    const run = await runCli(['iam', 'evaluate', file]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^sequester: error: requests\.1\.action: /);
  });

  it('exits 2 for a snapshot of another version', async () => {
    // Prepare
    const file = writeSnapshot('v2.json', { ...sample(), version: 2 });
    // Act
    const run = await runCli(['iam', 'evaluate', file]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sequester: error: version: /);
  });

  it('exits 2 with one line for a file that is not JSON', async () => {
    // Prepare
    const file = writeSnapshot('garbled.json', '{"version": ');
    // Act
    const run = await runCli(['iam', 'evaluate', file]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/is not valid JSON/);
  });
});
