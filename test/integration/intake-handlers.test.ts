import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { handler as apiLambda } from '../../lambdas/handlers/api';
import { handler as intakeLambda } from '../../lambdas/handlers/intake';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { asRole, freshMoto, type MotoEnv, REGION, setHandlerEnv } from '../support/moto';
import { finding, setPath } from '../unit/intake/fixtures';

/**
 * The deployed wiring: the real Lambda handlers, configured only through their environment, starting
 * the Step Functions workflow in moto (moto records executions; it does not run the tasks). The
 * handlers read their environment on first use, so setting it in beforeAll is enough. Each runs with its
 * own role's credentials behind the IAM-enforcing local AWS, as its function does on AWS.
 */
const handler = asRole('intake', intakeLambda);
const apiHandler = asRole('api', apiLambda);
describe('Lambda handlers: intake and api, against moto Step Functions', () => {
  let env: MotoEnv;
  let sfn: SFNClient;
  let stateMachineArn: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    env = await freshMoto();
    sfn = new SFNClient({ region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS });
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'sequester-response',
        roleArn: 'arn:aws:iam::123456789012:role/sequester-workflow',
        definition: JSON.stringify({ StartAt: 'Isolate', States: { Isolate: { Type: 'Pass', End: true } } }),
      }),
    );
    stateMachineArn = sm.stateMachineArn ?? '';
    setHandlerEnv(env, {
      STATE_MACHINE_ARN: stateMachineArn,
      INTAKE_CONFIG: JSON.stringify({ severityFloor: 7, denyTypePrefixes: ['Recon:'] }),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  const executions = async () =>
    (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];

  it('intake handler claims the finding and starts one execution named after the quarantine', async () => {
    // Prepare
    const event = setPath(finding('ec2-backdoor-c2-activity-dns.json'), 'detail.accountId', '123456789012');
    // Act
    const first = await handler(event);
    const again = await handler(structuredClone(event));
    // Assess
    if (first.status !== 'started' || again.status !== 'joined')
      throw new Error(`${first.status}/${again.status}`);
    expect(again.quarantineId).toBe(first.quarantineId);
    const mine = (await executions()).filter((x) => x.name === first.quarantineId);
    expect(mine).toHaveLength(1);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: mine[0]?.executionArn }));
    expect(JSON.parse(described.input ?? '')).toEqual({ quarantineId: first.quarantineId });
    expect((await getQuarantine(env.ledger, first.quarantineId))?.instance.accountId).toBe('123456789012');
  });

  it('intake handler rejects a malformed event without starting anything', async () => {
    const before = (await executions()).length;
    const out = await handler(finding('malformed-severity-as-string.json'));
    expect(out).toMatchObject({ status: 'rejected', field: 'detail.severity' });
    expect(await executions()).toHaveLength(before);
  });

  it('intake handler applies INTAKE_CONFIG from the environment', async () => {
    const e = finding('ec2-recon-portprobe-unprotected-port.json');
    setPath(e, 'detail.severity', 8);
    expect(await handler(e)).toMatchObject({ status: 'ignored', decision: { reason: 'type-denied' } });
  });

  it('api handler answers 202 and starts the execution for a new quarantine', async () => {
    const e = finding('../api/post-quarantine.json');
    setPath(e, 'body', JSON.stringify({ instanceId: 'i-0123456789abcdef1', reason: 'SOC escalation' }));
    const res = await apiHandler(e);
    expect(res.statusCode).toBe(202);
    const id = JSON.parse(res.body).quarantineId;
    expect((await executions()).map((x) => x.name)).toContain(id);
  });

  it('intake handler is refused by the local AWS when its role lacks states:StartExecution, as on AWS', async () => {
    // Prepare: the intake role as the stack declares it, minus the statement that starts the workflow.
    const env0 = { STATE_MACHINE_ARN: stateMachineArn, POWERTOOLS_LOG_LEVEL: 'ERROR' };
    setHandlerEnv(env, env0, {
      edit: (name, statements) =>
        name === 'intake' ? statements.filter((s) => s.Sid !== 'StartQuarantineWorkflow') : statements,
    });
    const event = setPath(
      finding('ec2-backdoor-c2-activity-dns.json'),
      'detail.resource.instanceDetails.instanceId',
      'i-0fedcba9876543210',
    );
    try {
      // Act
      const out = await handler(event).catch((err: unknown) => err);
      // Assess
      expect(String(out instanceof Error ? `${out.name}: ${out.message}` : JSON.stringify(out))).toMatch(
        /AccessDenied/,
      );
      expect((await executions()).some((x) => x.name?.includes('i-0fedcba9876543210'))).toBe(false);
    } finally {
      setHandlerEnv(env, env0);
    }
  });
});
