import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION, setHandlerEnv } from '../support/moto';
import { type LocalApi, ON_CALL_SESSION, startLocalApi } from './api-server';
import { AS_ON_CALL, lastJson, runCli } from './run-cli';

/**
 * The CLI against the deployed Lambda entry point itself (lambdas/handlers/api.ts, built from its
 * environment, starting Step Functions executions on moto), behind the SigV4-checking local API.
 */
describe('sequester against the real API handler (Step Functions on moto)', () => {
  let env: MotoEnv;
  let api: LocalApi;
  let sfn: SFNClient;
  let stateMachineArn: string;

  beforeAll(async () => {
    env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS };
    sfn = new SFNClient(opts);
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'sequester-response',
        roleArn: 'arn:aws:iam::123456789012:role/sequester-workflow',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }),
    );
    stateMachineArn = sm.stateMachineArn ?? '';
    setHandlerEnv(env, {
      STATE_MACHINE_ARN: stateMachineArn,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    const { handler } = await import('../../lambdas/handlers/api');
    api = await startLocalApi(handler);
  });

  afterAll(async () => {
    await api.close();
  });

  it('quarantine claims the instance and starts one execution named after the quarantine id', async () => {
    // Prepare
    const s = await buildScenario(env.clients, { name: 'api' });
    // Act
    const run = await runCli(
      ['quarantine', s.instanceId, '--reason', 'C2 beaconing', '--json', '--api', api.url],
      AS_ON_CALL,
    );
    const status = await runCli(['status', s.instanceId, '--json', '--api', api.url], AS_ON_CALL);
    // Assess
    expect(run.code).toBe(0);
    const q = lastJson(run) as { quarantineId: string };
    expect(q).toMatchObject({ state: 'requested', trigger: { kind: 'api', principalArn: ON_CALL_SESSION } });
    expect(lastJson(status)).toMatchObject({ quarantineId: q.quarantineId, state: 'requested' });
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions.executions?.map((e) => e.name)).toEqual([q.quarantineId]);
  });
});
