import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { decideIntake, requestFromDecision } from '../../lambdas/core/intake/decide';
import { InProcessStarter } from '../../lambdas/core/intake/in-process-starter';
import { defaultIntakeConfig } from '../../lambdas/core/intake/intake-config';
import { intakeFinding } from '../../lambdas/core/intake/intake-finding';
import { listQuarantines } from '../../lambdas/core/intake/ledger-queries';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { claimQuarantine, getQuarantine } from '../../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { buildScenario, type Scenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';
import { finding, setPath } from '../unit/intake/fixtures';

/** moto's default account: the owner of every instance it runs. */
const MOTO_ACCOUNT = '123456789012';

/** A real-format finding about the scenario's instance. */
function findingFor(s: Scenario, file = 'ec2-backdoor-c2-activity-dns.json') {
  const e = finding(file);
  setPath(e, 'detail.resource.instanceDetails.instanceId', s.instanceId);
  setPath(e, 'detail.accountId', MOTO_ACCOUNT);
  return setPath(e, 'detail.region', REGION);
}

async function groupsOf(env: MotoEnv, instanceId: string): Promise<string[]> {
  const res = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return (res.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).flatMap((n) =>
    (n.Groups ?? []).map((g) => g.GroupId ?? ''),
  );
}

async function quarantineGroupOf(env: MotoEnv, vpcId: string): Promise<string | undefined> {
  const sgs = await env.clients.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'group-name', Values: [`sequester-quarantine-${vpcId}`] }],
    }),
  );
  return sgs.SecurityGroups?.[0]?.GroupId;
}

describe('GuardDuty intake end to end against moto', () => {
  let env: MotoEnv;
  let s: Scenario;
  let starter: InProcessStarter;
  const deps = () => ({ ledger: env.ledger, starter, config: defaultIntakeConfig() });

  beforeEach(async () => {
    env = await freshMoto();
    s = await buildScenario(env.clients, { secondEni: true });
    starter = new InProcessStarter(() => env.clients, env.ledger, DEFAULT_ENGINE_CONFIG);
  });

  it('isolates the instance a High finding names', async () => {
    // Act
    const out = await intakeFinding(deps(), findingFor(s));
    // Assess
    if (out.status !== 'started') throw new Error(`expected started, got ${out.status}`);
    const quarantineGroup = await quarantineGroupOf(env, s.vpcId);
    expect(quarantineGroup).toBeDefined();
    expect(await groupsOf(env, s.instanceId)).toEqual([quarantineGroup, quarantineGroup]);
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    expect(rec?.state).toBe('isolated');
    expect(rec?.trigger).toEqual({
      kind: 'guardduty',
      findingId: out.decision.findingId,
      findingType: 'Backdoor:EC2/C&CActivity.B!DNS',
    });
    expect(rec?.instance).toEqual({ instanceId: s.instanceId, region: REGION, accountId: MOTO_ACCOUNT });
    expect(rec?.actions[0]).toMatchObject({ step: 'request', actor: `guardduty:${out.decision.findingId}` });
  });

  it('turns the same event delivered twice into one quarantine', async () => {
    const first = await intakeFinding(deps(), findingFor(s));
    const second = await intakeFinding(deps(), findingFor(s));
    if (first.status !== 'started' || second.status !== 'joined')
      throw new Error(`${first.status}/${second.status}`);
    expect(second.quarantineId).toBe(first.quarantineId);
    expect(starter.started).toBe(1);
    const all = await listQuarantines(env.ledger, { instanceId: s.instanceId, limit: 10 });
    expect(all.items.map((r) => r.quarantineId)).toEqual([first.quarantineId]);
  });

  it('joins a finding GuardDuty re-published with a higher count to the running quarantine', async () => {
    const first = await intakeFinding(deps(), findingFor(s));
    const update = await intakeFinding(
      deps(),
      findingFor(s, 'ec2-backdoor-c2-activity-dns-republished.json'),
    );
    expect(update).toMatchObject({ status: 'joined', state: 'isolated' });
    if (first.status !== 'started' || update.status !== 'joined') throw new Error('unexpected');
    expect(update.quarantineId).toBe(first.quarantineId);
    expect(update.decision.count).toBe(7);
  });

  it('turns concurrent duplicates into one quarantine', async () => {
    const outs = await Promise.all([1, 2, 3].map(() => intakeFinding(deps(), findingFor(s))));
    const ids = new Set(outs.map((o) => ('quarantineId' in o ? o.quarantineId : o.status)));
    expect(ids.size).toBe(1);
    expect(outs.filter((o) => o.status === 'started')).toHaveLength(1);
    expect((await listQuarantines(env.ledger, { limit: 10 })).items).toHaveLength(1);
  });

  it('claims nothing and changes nothing for an ignored finding', async () => {
    const before = await groupsOf(env, s.instanceId);
    const out = await intakeFinding(deps(), findingFor(s, 'ec2-archived-finding.json'));
    expect(out).toMatchObject({ status: 'ignored', decision: { reason: 'archived' } });
    expect((await listQuarantines(env.ledger, { limit: 10 })).items).toEqual([]);
    expect(await groupsOf(env, s.instanceId)).toEqual(before);
    expect(starter.started).toBe(0);
  });

  it('leaves an instance alone whose live tags exempt it though the finding does not show the tag', async () => {
    await env.clients.ec2.send(
      new CreateTagsCommand({
        Resources: [s.instanceId],
        Tags: [{ Key: 'sequester:exempt', Value: 'true' }],
      }),
    );
    const before = await groupsOf(env, s.instanceId);
    const out = await intakeFinding(deps(), findingFor(s));
    if (out.status !== 'started') throw new Error(out.status);
    expect((await getQuarantine(env.ledger, out.quarantineId))?.state).toBe('refused');
    expect(await groupsOf(env, s.instanceId)).toEqual(before);
  });

  it('starts the workflow of a claim whose first trigger died before starting it', async () => {
    // Prepare: the claim went through, the start never happened.
    const d = decideIntake(findingFor(s));
    const claim = await claimQuarantine(
      env.ledger,
      parseQuarantineRequest(requestFromDecision(d, defaultIntakeConfig())),
    );
    // Act: EventBridge retries the event.
    const out = await intakeFinding(deps(), findingFor(s));
    // Assess
    expect(out).toMatchObject({ status: 'joined', quarantineId: claim.record.quarantineId });
    expect((await getQuarantine(env.ledger, claim.record.quarantineId))?.state).toBe('isolated');
  });
});
