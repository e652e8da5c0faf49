import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { routeApiRequest } from '../../lambdas/core/intake/api-router';
import type { ApiDeps } from '../../lambdas/core/intake/api-routes';
import type { WorkflowStarter } from '../../lambdas/core/intake/workflow-starter';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { isolate } from '../../lambdas/core/isolation/isolate';
import { buildScenario, type Scenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv } from '../support/moto';
import { type LocalApi, ON_CALL_SESSION, startLocalApi } from './api-server';
import { AS_ON_CALL, lastJson, runCli } from './run-cli';

/** Runs the isolation step in the background, as Step Functions would after StartExecution returns. */
class BackgroundStarter implements WorkflowStarter {
  public readonly runs = new Map<string, Promise<unknown>>();
  public constructor(private readonly env: MotoEnv) {}
  public async start(q: { quarantineId: string }) {
    const alreadyStarted = this.runs.has(q.quarantineId);
    if (!alreadyStarted) {
      const run = new Promise((r) => setTimeout(r, 300)).then(() =>
        isolate(this.env.clients, this.env.ledger, q.quarantineId, DEFAULT_ENGINE_CONFIG),
      );
      this.runs.set(q.quarantineId, run);
    }
    return { executionId: `background:${q.quarantineId}`, alreadyStarted };
  }
}

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('sequester on-call commands against the API router (SigV4-checked) and moto', () => {
  let env: MotoEnv;
  let scenario: Scenario;
  let api: LocalApi;
  let starter: BackgroundStarter;
  // Signed with the on-call role's key: the API allows what the role's policy allows.
  const cli = (...args: string[]) => runCli([...args, '--api', api.url], AS_ON_CALL);

  beforeAll(async () => {
    env = await freshMoto();
    scenario = await buildScenario(env.clients, { secondEni: true, inService: true });
    starter = new BackgroundStarter(env);
    const deps: ApiDeps = {
      ledger: env.ledger,
      starter,
      clientsFor: () => env.clients,
      engine: DEFAULT_ENGINE_CONFIG,
      defaultRegion: 'eu-west-1',
    };
    api = await startLocalApi((event) => routeApiRequest(deps, event));
  });

  afterAll(async () => {
    await Promise.allSettled([...starter.runs.values()]);
    await api.close();
  });

  it('plans a dry run without changing the instance', async () => {
    // Act
    const run = await cli('quarantine', scenario.twinId, '--reason', 'drill', '--dry-run', '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({ dryRun: true, plan: expect.any(Object) });
    const d = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [scenario.twinId] }));
    const groups = d.Reservations?.[0]?.Instances?.[0]?.SecurityGroups?.map((g) => g.GroupId);
    expect(groups).toEqual([scenario.webGroupId]);
  });

  it('quarantines with --wait isolated, following progress, and prints the isolated record', async () => {
    // Act
    const run = await cli(
      'quarantine',
      scenario.instanceId,
      '--reason',
      'C2 beaconing seen by the SOC',
      '--incident',
      'INC-7',
      '--wait',
      'isolated',
      '--poll',
      '1',
      '--json',
    );
    // Assess
    expect(run.code).toBe(0);
    const q = lastJson(run) as Record<string, unknown>;
    expect(q).toMatchObject({
      state: 'isolated',
      incidentId: 'INC-7',
      instance: { instanceId: scenario.instanceId, region: 'eu-west-1' },
      trigger: { kind: 'api', principalArn: ON_CALL_SESSION },
    });
    const steps = (q.timeline as Array<{ step: string }>).map((a) => a.step);
    expect(steps).toEqual(expect.arrayContaining(['request', 'network-cut', 'verify']));
    expect(api.rejected).toBe(0);
  });

  it('joins the quarantine that already holds the instance and prints its id', async () => {
    // Act
    const run = await cli('quarantine', scenario.instanceId, '--reason', 'second page');
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^q-[0-9a-f-]{36} \(already quarantined: joined\)\n$/);
  });

  it('follows progress with one plain line per ledger action when stderr is not a terminal', async () => {
    // Act
    const run = await cli('quarantine', scenario.instanceId, '--reason', 'third page', '--wait', 'isolated');
    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^q-[0-9a-f-]{36}: following progress until isolated\n/);
    expect(run.stderr).toMatch(/^\S+Z {2}network-cut\s+ok$/m);
    expect(run.stderr).not.toContain('\u001b[');
    expect(run.stdout).toMatch(/^state {7}isolated$/m);
  });

  it('shows status by quarantine id and by instance id, and lists with a state filter', async () => {
    // Prepare
    const list = await cli('list', '--json');
    const id = (lastJson(list) as { items: Array<{ quarantineId: string }> }).items[0]?.quarantineId ?? '';
    // Act
    const [byId, byInstance, isolated, released, human] = await Promise.all([
      cli('status', id, '--json'),
      cli('status', scenario.instanceId, '--json'),
      cli('list', '--state', 'isolated', '--json'),
      cli('list', '--state', 'released', '--json'),
      cli('status', id),
    ]);
    // Assess
    expect(list.code).toBe(0);
    expect(lastJson(byId)).toMatchObject({ quarantineId: id, state: 'isolated' });
    expect(lastJson(byInstance)).toMatchObject({ quarantineId: id });
    expect(lastJson(isolated)).toEqual({ items: [expect.objectContaining({ quarantineId: id })] });
    expect(lastJson(released)).toEqual({ items: [] });
    expect(human.stdout).toContain(`quarantine  ${id}`);
    expect(human.stdout).toMatch(/network-cut\s+ok/);
  });

  it('exits 2 with one line for an unknown quarantine and an instance never quarantined', async () => {
    // Act
    const [unknown, never] = await Promise.all([
      cli('status', 'q-00000000-0000-4000-8000-000000000000'),
      cli('status', scenario.twinId),
    ]);
    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'sequester: error: API 404: quarantine q-00000000-0000-4000-8000-000000000000 not found\n',
    );
    expect(never.code).toBe(2);
    expect(never.stderr).toBe(`sequester: error: no quarantine found for instance ${scenario.twinId}\n`);
  });

  it('refuses a release before the evidence is sealed (exit 1), then releases with --force', async () => {
    // Prepare
    const status = await cli('status', scenario.instanceId, '--json');
    const id = (lastJson(status) as { quarantineId: string }).quarantineId;
    // Act
    const refused = await cli('release', id, '--reason', 'false positive');
    const forced = await cli('release', id, '--reason', 'false positive: red team', '--force', '--json');
    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^sequester: error: API 409: /);
    expect(oneLine(refused.stderr)).toBe(true);
    expect(forced.code).toBe(0);
    expect(lastJson(forced)).toMatchObject({ quarantineId: id, state: 'released' });
  });

  it('is refused by the API with exit 1 when the request is signed with other credentials', async () => {
    // Act
    const run = await runCli(['list', '--api', api.url], { AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('sequester: error: API 403: Forbidden: missing or invalid SigV4 signature\n');
    expect(api.rejected).toBe(1);
  });
});
