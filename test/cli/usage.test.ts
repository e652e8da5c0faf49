import { freePort } from '../../local-aws/moto-server';
import { runCli } from './run-cli';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('sequester usage and bad input', () => {
  it('documents the exit codes and every command group in --help, exiting 0', async () => {
    // Act
    const run = await runCli(['--help']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 {2}success/);
    expect(run.stdout).toMatch(/1 {2}failure/);
    expect(run.stdout).toMatch(/2 {2}bad input/);
    for (const cmd of ['quarantine', 'status', 'list', 'release', 'evidence', 'intake', 'iam'])
      expect(run.stdout).toMatch(new RegExp(`^ {2}${cmd} `, 'm'));
  });

  it('exits 2 with one line naming --reason when the reason is missing', async () => {
    // Act
    const run = await runCli(['quarantine', 'i-0abc1234def567890', '--api', 'http://127.0.0.1:9']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sequester: error: .*--reason/);
    expect(oneLine(run.stderr)).toBe(true);
  });

  it('exits 2 naming the instance id when it is malformed, before calling anything', async () => {
    // Act
    const run = await runCli(['quarantine', 'i-xyz', '--reason', 'test', '--api', 'http://127.0.0.1:9']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'sequester: error: <instance-id>: must be an EC2 instance id (i-...) (got "i-xyz")\n',
    );
  });

  it('exits 2 for an empty or whitespace-only reason', async () => {
    // Act
    const run = await runCli(['release', 'q-00000000-0000-4000-8000-000000000000', '--reason', '  ']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sequester: error: --reason: is required/);
  });

  it('exits 2 for an unknown command, an unknown option and a malformed global option', async () => {
    // Act
    const runs = await Promise.all([
      runCli(['quarantined']),
      runCli(['list', '--stat', 'x']),
      runCli(['--endpoint-url', 'not a url', 'list']),
      runCli(['--region', 'Mars-1', 'list']),
    ]);
    // Assess
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^sequester: error: /);
      expect(oneLine(r.stderr)).toBe(true);
    }
    expect(runs[2]?.stderr).toContain('--endpoint-url');
    expect(runs[3]?.stderr).toContain('--region');
  });

  it('shows no stack trace unless --debug is given', async () => {
    // Prepare: a loopback port nothing listens on
    const closed = `http://127.0.0.1:${await freePort()}`;
    // Act
    const plain = await runCli([
      'quarantine',
      'i-0abc1234def567890',
      '--reason',
      'r',
      '--api',
      'http://127.0.0.1:9',
    ]);
    const debug = await runCli([
      'quarantine',
      'i-0abc1234def567890',
      '--reason',
      'r',
      '--api',
      closed,
      '--debug',
    ]);
    // Assess
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^sequester: error: cannot reach the API at http:\/\/127\.0\.0\.1:\d+/);
    expect(oneLine(plain.stderr)).toBe(true);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
