import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  ModifyInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { isolate, quarantine } from '../../lambdas/core/isolation/isolate';
import { release } from '../../lambdas/core/isolation/release';
import { claimQuarantine, findActiveQuarantine, getQuarantine } from '../../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { buildScenario } from '../../local-aws/scenario';
import { listedInstances, quarantinePolicyArn } from '../../policies/quarantined-instances';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const ALICE = 'arn:aws:iam::123456789012:user/alice';

const requestFor = (instanceId: string, reason = 'test') => ({
  instance: { instanceId, region: REGION },
  reason,
  trigger: { kind: 'api', principalArn: ALICE },
});

/** Quarantines the instance and insists it ended isolated (the release tests start from there). */
async function isolatedQuarantine(env: MotoEnv, instanceId: string) {
  const q = await quarantine(env.clients, env.ledger, requestFor(instanceId), DEFAULT_ENGINE_CONFIG);
  if (q.status !== 'isolated') throw new Error(q.status);
  return q;
}

async function world(env: MotoEnv, instanceId: string, vpcId: string) {
  const [inst, assoc, term, shutdown, acls] = await Promise.all([
    env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    env.clients.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [instanceId] },
          { Name: 'state', Values: ['associated'] },
        ],
      }),
    ),
    env.clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    ),
    env.clients.ec2.send(
      new DescribeInstanceAttributeCommand({
        InstanceId: instanceId,
        Attribute: 'instanceInitiatedShutdownBehavior',
      }),
    ),
    env.clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  ]);
  const i = inst.Reservations?.[0]?.Instances?.[0];
  return {
    enis: (i?.NetworkInterfaces ?? []).map((n) => ({
      id: n.NetworkInterfaceId,
      groups: (n.Groups ?? []).map((g) => g.GroupId).sort(),
    })),
    tags: (i?.Tags ?? []).filter((t) => t.Key?.startsWith('sequester:')),
    profiles: (assoc.IamInstanceProfileAssociations ?? []).map((a) => a.IamInstanceProfile?.Arn),
    termination: term.DisableApiTermination?.Value,
    shutdown: shutdown.InstanceInitiatedShutdownBehavior?.Value,
    denies: (acls.NetworkAcls ?? []).flatMap((a) =>
      (a.Entries ?? []).filter((e) => e.RuleAction === 'deny' && e.RuleNumber !== 32767),
    ),
  };
}

describe('release against moto', () => {
  let env: MotoEnv;
  beforeEach(async () => {
    env = await freshMoto();
  });

  it('restores groups, profile, protection, tags and ACLs as they were, and re-registers targets when asked', async () => {
    // Prepare: the instance starts with termination protection off and shutdown=terminate, to see both restored.
    const s = await buildScenario(env.clients, { secondEni: true, inService: true });
    await env.clients.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: s.instanceId,
        InstanceInitiatedShutdownBehavior: { Value: 'terminate' },
      }),
    );
    const before = await world(env, s.instanceId, s.vpcId);
    const q = await isolatedQuarantine(env, s.instanceId);
    expect(await world(env, s.instanceId, s.vpcId)).not.toEqual(before);
    // Act
    const rec = await release(env.clients, env.ledger, {
      quarantineId: q.quarantineId,
      reason: 'false positive',
      actor: ALICE,
      force: true,
      reattach: true,
    });
    // Assess
    expect(await world(env, s.instanceId, s.vpcId)).toEqual(before);
    expect(rec.state).toBe('released');
    expect(rec.actions.at(-1)).toMatchObject({
      step: 'release',
      actor: ALICE,
      detail: { reason: 'false positive' },
    });
    // The instance left the account's deny policy; the policy stays attached (inert for it).
    const policyArn = quarantinePolicyArn('aws', '123456789012');
    const p = await env.clients.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const v = await env.clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: p.Policy?.DefaultVersionId }),
    );
    expect(listedInstances(v.PolicyVersion?.Document ?? '{}')).toEqual([]);
    const attached = await env.clients.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: s.roleName }),
    );
    expect((attached.AttachedPolicies ?? []).map((a) => a.PolicyArn)).toEqual([policyArn]);
    const asg = await env.clients.autoscaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [s.instanceId] }),
    );
    expect(asg.AutoScalingInstances?.[0]?.AutoScalingGroupName).toBe(s.asgName);
    const tg = await env.clients.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }),
    );
    expect((tg.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id)).toContain(s.instanceId);
    expect(
      await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId }),
    ).toBeUndefined();
  });

  it('takes only the released instance out of the account deny policy: its twin on the same role stays denied', async () => {
    // Prepare: both instances of the role quarantined.
    const s = await buildScenario(env.clients);
    const q = await isolatedQuarantine(env, s.instanceId);
    await isolatedQuarantine(env, s.twinId);
    // Act
    await release(env.clients, env.ledger, {
      quarantineId: q.quarantineId,
      reason: 'fp',
      actor: ALICE,
      force: true,
    });
    // Assess
    const policyArn = quarantinePolicyArn('aws', '123456789012');
    const p = await env.clients.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const v = await env.clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: p.Policy?.DefaultVersionId }),
    );
    expect(listedInstances(v.PolicyVersion?.Document ?? '{}')).toEqual([
      `arn:aws:ec2:${REGION}:123456789012:instance/${s.twinId}`,
    ]);
  });

  it('refuses to release before the evidence is sealed unless forced', async () => {
    const s = await buildScenario(env.clients);
    const q = await isolatedQuarantine(env, s.instanceId);
    await expect(
      release(env.clients, env.ledger, { quarantineId: q.quarantineId, reason: 'done', actor: ALICE }),
    ).rejects.toMatchObject({
      code: 'EVIDENCE_NOT_SEALED',
    });
    expect((await getQuarantine(env.ledger, q.quarantineId))?.state).toBe('isolated');
  });

  it('lets a new quarantine start for the same instance after release', async () => {
    const s = await buildScenario(env.clients);
    const req = requestFor(s.instanceId);
    const first = await quarantine(env.clients, env.ledger, req, DEFAULT_ENGINE_CONFIG);
    if (first.status !== 'isolated') throw new Error(first.status);
    await release(env.clients, env.ledger, {
      quarantineId: first.quarantineId,
      reason: 'retest',
      actor: ALICE,
      force: true,
    });
    const second = await quarantine(env.clients, env.ledger, req, DEFAULT_ENGINE_CONFIG);
    expect(second.status).toBe('isolated');
    if (second.status === 'isolated') expect(second.quarantineId).not.toBe(first.quarantineId);
  });
});

describe('release racing a running quarantine', () => {
  let env: MotoEnv;
  beforeEach(async () => {
    env = await freshMoto();
  });

  it('refuses a release while isolation is still running, records the attempt, and isolation completes', async () => {
    // Prepare: the quarantine is claimed (the workflow has not isolated yet).
    const s = await buildScenario(env.clients);
    const claim = await claimQuarantine(env.ledger, parseQuarantineRequest(requestFor(s.instanceId, 'race')));
    const id = claim.record.quarantineId;
    // Act: a release arrives before isolation runs.
    await expect(
      release(env.clients, env.ledger, { quarantineId: id, reason: 'oops', actor: ALICE, force: true }),
    ).rejects.toMatchObject({
      name: 'RefusedError',
      code: 'NOT_QUARANTINED',
    });
    const out = await isolate(env.clients, env.ledger, id, DEFAULT_ENGINE_CONFIG);
    // Assess
    expect(out).toMatchObject({ status: 'isolated', verified: true });
    const rec = await getQuarantine(env.ledger, id);
    expect(rec?.actions.find((a) => a.step === 'release-refused')).toMatchObject({
      actor: ALICE,
      outcome: 'refused',
    });
  });

  it('ends either released with the network restored, or isolated with the refused release recorded, never in between', async () => {
    const s = await buildScenario(env.clients);
    const req = requestFor(s.instanceId, 'race');
    const running = quarantine(env.clients, env.ledger, req, DEFAULT_ENGINE_CONFIG);
    let active = await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId });
    while (active === undefined)
      active = await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId });
    const releasing = release(env.clients, env.ledger, {
      quarantineId: active.quarantineId,
      reason: 'race',
      actor: ALICE,
      force: true,
    }).then(
      () => 'released' as const,
      () => 'refused' as const,
    );
    const [q, r] = await Promise.all([running, releasing]);
    expect(q.status).toBe('isolated');
    const rec = await getQuarantine(env.ledger, active.quarantineId);
    const groups = (await world(env, s.instanceId, s.vpcId)).enis.flatMap((e) => e.groups);
    if (r === 'released') {
      expect(rec?.state).toBe('released');
      expect(groups).toEqual([s.webGroupId]);
    } else {
      expect(rec?.state).toBe('isolated');
      expect(rec?.actions.some((a) => a.step === 'release-refused')).toBe(true);
      expect(groups).not.toContain(s.webGroupId);
    }
  });
});
