import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { findActiveQuarantine, getQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const human = { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' };
const finding = { kind: 'guardduty', findingId: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' };
const request = (instanceId: string, extra: Record<string, unknown> = {}) => ({
  instance: { instanceId, region: REGION },
  reason: 'suspicious outbound traffic',
  trigger: human,
  ...extra,
});

/** Everything a quarantine could change, read back from AWS, to prove that nothing changed. */
async function snapshotOfWorld(env: MotoEnv, instanceId: string) {
  const [inst, groups] = await Promise.all([
    env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    env.clients.ec2.send(new DescribeSecurityGroupsCommand({})),
  ]);
  const i = inst.Reservations?.[0]?.Instances?.[0];
  return {
    enis: i?.NetworkInterfaces?.map((n) => (n.Groups ?? []).map((g) => g.GroupId)),
    tags: i?.Tags,
    profile: i?.IamInstanceProfile?.Arn,
    groupNames: (groups.SecurityGroups ?? []).map((g) => g.GroupName).sort(),
  };
}

describe('quarantine requests against moto', () => {
  let env: MotoEnv;
  beforeEach(async () => {
    env = await freshMoto();
  });

  it('joins the existing quarantine when the same instance is requested twice at once', async () => {
    const s = await buildScenario(env.clients);
    const [a, b] = await Promise.all([
      quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG),
      quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['isolated', 'joined']);
    const ids = [a, b].map((o) => ('quarantineId' in o ? o.quarantineId : ''));
    expect(ids[0]).toBe(ids[1]);
  });

  it('returns the plan and changes nothing on a dry run', async () => {
    const s = await buildScenario(env.clients, { secondEni: true, inService: true });
    const before = await snapshotOfWorld(env, s.instanceId);
    const out = await quarantine(
      env.clients,
      env.ledger,
      request(s.instanceId, { options: { dryRun: true } }),
      DEFAULT_ENGINE_CONFIG,
    );
    expect(out.status).toBe('planned');
    if (out.status !== 'planned') return;
    expect(out.plan.calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining([
        'ec2:CreateSecurityGroup',
        'ec2:ModifyNetworkInterfaceAttribute',
        'iam:CreatePolicyVersion',
        'iam:AttachRolePolicy',
        'autoscaling:DetachInstances',
      ]),
    );
    expect(out.plan.calls.filter((c) => c.operation === 'ec2:ModifyNetworkInterfaceAttribute')).toHaveLength(
      4,
    );
    expect(await snapshotOfWorld(env, s.instanceId)).toEqual(before);
    expect(
      await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId }),
    ).toBeUndefined();
  });

  it('refuses an instance that does not exist and records the refusal', async () => {
    const out = await quarantine(
      env.clients,
      env.ledger,
      request('i-0123456789abcdef0'),
      DEFAULT_ENGINE_CONFIG,
    );
    expect(out).toMatchObject({ status: 'refused', code: 'NOT_FOUND' });
    if (out.status !== 'refused') return;
    expect((await getQuarantine(env.ledger, out.quarantineId))?.state).toBe('refused');
    expect(
      await findActiveQuarantine(env.ledger, { region: REGION, instanceId: 'i-0123456789abcdef0' }),
    ).toBeUndefined();
  });

  it('refuses a terminated instance without changing anything', async () => {
    const s = await buildScenario(env.clients);
    await env.clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [s.instanceId] }));
    const out = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    expect(out).toMatchObject({ status: 'refused', code: 'TERMINATED' });
  });

  it('refuses an exempt instance for a GuardDuty trigger and changes nothing', async () => {
    const s = await buildScenario(env.clients);
    await env.clients.ec2.send(
      new CreateTagsCommand({
        Resources: [s.instanceId],
        Tags: [{ Key: 'sequester:exempt', Value: 'true' }],
      }),
    );
    const before = await snapshotOfWorld(env, s.instanceId);
    const out = await quarantine(
      env.clients,
      env.ledger,
      request(s.instanceId, { trigger: finding }),
      DEFAULT_ENGINE_CONFIG,
    );
    expect(out).toMatchObject({ status: 'refused', code: 'EXEMPT' });
    expect(await snapshotOfWorld(env, s.instanceId)).toEqual(before);
  });

  it('quarantines an exempt instance when on-call overrides the exemption, and records why', async () => {
    const s = await buildScenario(env.clients);
    await env.clients.ec2.send(
      new CreateTagsCommand({
        Resources: [s.instanceId],
        Tags: [{ Key: 'sequester:exempt', Value: 'true' }],
      }),
    );
    const refused = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    expect(refused).toMatchObject({ status: 'refused', code: 'EXEMPT' });
    const out = await quarantine(
      env.clients,
      env.ledger,
      request(s.instanceId, {
        options: { overrideExemption: { reason: 'exempt box is beaconing to a known C2' } },
      }),
      DEFAULT_ENGINE_CONFIG,
    );
    expect(out.status).toBe('isolated');
    if (out.status !== 'isolated') return;
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    expect(rec?.actions.find((a) => a.step === 'override-exemption')).toMatchObject({
      actor: human.principalArn,
      detail: { reason: 'exempt box is beaconing to a known C2' },
    });
  });

  it('rejects a malformed request naming the bad field, before touching AWS or the ledger', async () => {
    await expect(
      quarantine(env.clients, env.ledger, request('i-nothex!', {}), DEFAULT_ENGINE_CONFIG),
    ).rejects.toMatchObject({ name: 'InvalidInputError', field: 'instance.instanceId' });
  });
});
