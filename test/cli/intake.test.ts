import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import finding from '../../demo/fixtures/guardduty-backdoor-finding.json';
import { lastJson, runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'sequester-cli-intake-'));
function writeEvent(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

describe('sequester intake', () => {
  it('prints the quarantine decision for a high-severity EC2 finding as JSON and exits 0', async () => {
    // Prepare
    const file = writeEvent('backdoor.json', finding);
    // Act
    const run = await runCli(['intake', '--event', file, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({
      action: 'quarantine',
      reason: 'qualifies',
      instance: { accountId: '123456789012', region: 'eu-west-1', instanceId: 'i-0abc1234def567890' },
      findingId: finding.detail.id,
      type: 'Backdoor:EC2/C&CActivity.B!DNS',
      severity: 8,
    });
  });

  it('ignores the finding when the config raises the severity floor above it', async () => {
    // Prepare
    const file = writeEvent('backdoor-floor.json', finding);
    const config = writeEvent('config.json', { severityFloor: 9 });
    // Act
    const run = await runCli(['intake', '--event', file, '--config', config, '--json']);
    // Assess
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({ action: 'ignore', reason: 'below-severity-floor' });
  });

  it('exits 2 naming the bad field for an event it cannot parse', async () => {
    // Prepare
    const bad = structuredClone(finding) as { detail: Record<string, unknown> };
    bad.detail.severity = 'high';
    const file = writeEvent('bad-severity.json', bad);
    // Act
    const run = await runCli(['intake', '--event', file]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('detail.severity');
  });

  it('exits 2 with one line for a file that is not JSON or does not exist', async () => {
    // Prepare
    const notJson = writeEvent('not-json.json', '{"detail": ');
    // Act
    const [garbled, missing] = await Promise.all([
      runCli(['intake', '--event', notJson]),
      runCli(['intake', '--event', join(dir, 'missing.json')]),
    ]);
    // Assess
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toMatch(/^sequester: error: --event: .* is not valid JSON/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^sequester: error: --event: cannot read .*ENOENT/);
    for (const r of [garbled, missing]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
