import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createLedgerClients } from '../../../lambdas/core/clients';
import { defaultIntakeConfig } from '../../../lambdas/core/intake/intake-config';
import { type IntakeLogger, intakeFinding } from '../../../lambdas/core/intake/intake-finding';
import type { WorkflowStarter } from '../../../lambdas/core/intake/workflow-starter';
import { finding } from './fixtures';

const ledger = createLedgerClients(
  { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 },
  'ledger',
);
const ddb = mockClient(ledger.ddb as DynamoDBDocumentClient);
const start = jest.fn<ReturnType<WorkflowStarter['start']>, Parameters<WorkflowStarter['start']>>();
const lines: Array<[string, Record<string, unknown>]> = [];
const logger: IntakeLogger = {
  info: (m, extra) => lines.push([m, extra]),
  warn: (m, extra) => lines.push([m, extra]),
};
const deps = { ledger, starter: { start }, config: defaultIntakeConfig(), logger };

/** Every string a log call carries, however deeply nested. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v !== 'object' || v === null) return [];
  return Object.values(v).flatMap(strings);
}

describe('Function: intakeFinding', () => {
  beforeEach(() => {
    ddb.reset();
    start.mockReset();
    lines.length = 0;
  });

  it('throws when the claim fails so EventBridge retries, and starts nothing', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(intakeFinding(deps, finding('ec2-backdoor-c2-activity-dns.json'))).rejects.toThrow(
      'throttled',
    );
    expect(start).not.toHaveBeenCalled();
  });

  it('throws when the start fails after the claim, leaving a requested record a retry resumes', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    start.mockRejectedValue(new Error('sfn down'));
    await expect(intakeFinding(deps, finding('ec2-backdoor-c2-activity-dns.json'))).rejects.toThrow(
      'sfn down',
    );
  });

  it('starts the workflow with the claimed quarantine and the finding account', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    start.mockResolvedValue({ executionId: 'arn:x', alreadyStarted: false });
    const out = await intakeFinding(deps, finding('ec2-member-account-backdoor-c2.json'));
    expect(out).toMatchObject({ status: 'started', state: 'requested', executionId: 'arn:x' });
    expect(start).toHaveBeenCalledWith({
      quarantineId: expect.stringMatching(/^q-/),
      instance: { instanceId: 'i-0123456789abcdef0', region: 'us-east-2', accountId: '210987654321' },
    });
  });

  it('logs hostile Runtime Monitoring fields only escaped, with constant messages', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    start.mockResolvedValue({ executionId: 'arn:x', alreadyStarted: false });
    await intakeFinding(deps, finding('ec2-runtime-reverse-shell-hostile-process.json'));
    expect(lines.map(([m]) => m)).toEqual(['quarantine started']);
    const logged = strings(lines);
    expect(logged.some((s) => s.includes('bash'))).toBe(true);
    for (const s of logged) expect(s).toMatch(/^[\x20-\x7e]*$/);
  });

  it('logs a rejected event with the field, not the event', async () => {
    const out = await intakeFinding(deps, finding('malformed-instance-id-injection.json'));
    expect(out).toMatchObject({ status: 'rejected', field: 'detail.resource.instanceDetails.instanceId' });
    expect(JSON.stringify(lines)).not.toContain('../../x');
    expect(ddb.calls()).toHaveLength(0);
  });
});
