import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildScenario } from '../../local-aws/scenario';
import { listedInstances, quarantinePolicyArn } from '../../policies/quarantined-instances';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const ON_CALL = 'arn:aws:iam::123456789012:role/on-call';
const request = (instanceId: string, extra: Record<string, unknown> = {}) => ({
  instance: { instanceId, region: REGION },
  reason: 'GuardDuty Backdoor:EC2/C&CActivity.B',
  incidentId: 'INC-42',
  trigger: { kind: 'api', principalArn: ON_CALL },
  ...extra,
});

const POLICY = quarantinePolicyArn('aws', '123456789012');

/** The instance ARNs the account's quarantined-instances policy lists in its default version. */
async function quarantinedList(env: MotoEnv): Promise<string[]> {
  const p = await env.clients.iam.send(new GetPolicyCommand({ PolicyArn: POLICY }));
  const v = await env.clients.iam.send(
    new GetPolicyVersionCommand({ PolicyArn: POLICY, VersionId: p.Policy?.DefaultVersionId }),
  );
  return listedInstances(v.PolicyVersion?.Document ?? '{}');
}

async function groupsOf(env: MotoEnv, instanceId: string) {
  const res = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return (res.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).map((n) => ({
    eni: n.NetworkInterfaceId,
    groups: (n.Groups ?? []).map((g) => g.GroupId).sort(),
  }));
}

describe('isolation engine against moto', () => {
  let env: MotoEnv;
  beforeEach(async () => {
    env = await freshMoto();
  });

  it('moves every ENI of a multi-ENI instance into the quarantine group', async () => {
    // Prepare
    const s = await buildScenario(env.clients, { secondEni: true });
    // Act
    const out = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    // Assess
    expect(out.status).toBe('isolated');
    const sgs = await env.clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [`sequester-quarantine-${s.vpcId}`] }],
      }),
    );
    const q = sgs.SecurityGroups?.[0];
    expect(q?.IpPermissions).toEqual([]);
    expect(q?.IpPermissionsEgress).toEqual([]);
    const enis = await groupsOf(env, s.instanceId);
    expect(enis).toHaveLength(2);
    for (const e of enis) expect(e.groups).toEqual([q?.GroupId]);
  });

  it('lets forensic SSH reach only the instance whose quarantine asked for it', async () => {
    // Arrange: two instances of one VPC; incident A grants its forensic subnet SSH, incident B grants none.
    const s = await buildScenario(env.clients);
    const withForensics = request(s.instanceId, { options: { forensicCidrs: ['10.9.0.0/24'] } });
    // Act
    const a = await quarantine(env.clients, env.ledger, withForensics, DEFAULT_ENGINE_CONFIG);
    const b = await quarantine(
      env.clients,
      env.ledger,
      request(s.twinId, { incidentId: 'INC-43' }),
      DEFAULT_ENGINE_CONFIG,
    );
    // Assert: A's group allows SSH from the forensic subnet and nothing else; B's group allows nothing.
    expect([a, b]).toEqual([
      expect.objectContaining({ status: 'isolated', verified: true, mismatches: [] }),
      expect.objectContaining({ status: 'isolated', verified: true, mismatches: [] }),
    ]);
    const rulesOf = async (instanceId: string) => {
      const [eni] = await groupsOf(env, instanceId);
      const res = await env.clients.ec2.send(
        new DescribeSecurityGroupsCommand({ GroupIds: (eni?.groups ?? []).map(String) }),
      );
      return (res.SecurityGroups ?? []).map((g) => ({
        ingress: (g.IpPermissions ?? []).map((p) => [
          p.IpProtocol,
          p.FromPort,
          (p.IpRanges ?? []).map((r) => r.CidrIp),
        ]),
        egress: g.IpPermissionsEgress ?? [],
      }));
    };
    expect(await rulesOf(s.instanceId)).toEqual([{ ingress: [['tcp', 22, ['10.9.0.0/24']]], egress: [] }]);
    expect(await rulesOf(s.twinId)).toEqual([{ ingress: [], egress: [] }]);
    // A's network ACLs carry no deny entry (it would drop the forensic SSH from other subnets), and the
    // ledger says why; B's address is denied as usual.
    const acls = await env.clients.ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [s.vpcId] }] }),
    );
    const denied = (acls.NetworkAcls ?? []).flatMap((acl) =>
      (acl.Entries ?? [])
        .filter((e) => e.RuleAction === 'deny' && e.RuleNumber !== 32767)
        .map((e) => e.CidrBlock),
    );
    const ipOf = async (id: string) =>
      (await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]
        ?.Instances?.[0]?.PrivateIpAddress;
    expect(denied).not.toContain(`${await ipOf(s.instanceId)}/32`);
    expect(denied).toContain(`${await ipOf(s.twinId)}/32`);
    const timeline = (await getQuarantine(env.ledger, a.status === 'isolated' ? a.quarantineId : ''))
      ?.actions;
    expect(timeline?.find((x) => x.step === 'nacl-deny')).toMatchObject({
      outcome: 'skipped',
      detail: { reason: expect.stringMatching(/forensic access requested/) },
    });
  });

  it('denies the instance credentials without touching the twin that shares its role', async () => {
    const s = await buildScenario(env.clients);
    await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    expect(await quarantinedList(env)).toEqual([
      expect.stringMatching(new RegExp(`instance/${s.instanceId}$`)),
    ]);
    const attached = await env.clients.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: s.roleName }),
    );
    expect((attached.AttachedPolicies ?? []).map((p) => p.PolicyArn)).toEqual([POLICY]);
    const assoc = (id: string) =>
      env.clients.ec2.send(
        new DescribeIamInstanceProfileAssociationsCommand({
          Filters: [
            { Name: 'instance-id', Values: [id] },
            { Name: 'state', Values: ['associated'] },
          ],
        }),
      );
    expect((await assoc(s.instanceId)).IamInstanceProfileAssociations).toEqual([]);
    expect((await assoc(s.twinId)).IamInstanceProfileAssociations).toHaveLength(1);
    expect(await groupsOf(env, s.twinId)).toEqual([{ eni: expect.any(String), groups: [s.webGroupId] }]);
  });

  it('proves with the IAM evaluator that the instance session keeps none of its role and the twin keeps all', async () => {
    const s = await buildScenario(env.clients);
    const out = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    const rec = await getQuarantine(env.ledger, out.status === 'isolated' ? out.quarantineId : '');
    // The scenario role allows s3:GetObject on the assets bucket: one grant, denied now, kept by twins.
    expect(rec?.verification).toMatchObject({
      verified: true,
      credentials: { status: 'proven', allowedBefore: 1, remaining: [], twinAllowed: 1 },
    });
    expect(rec?.actions.find((a) => a.step === 'verify')?.detail).toMatchObject({
      credentials: 'credentials: 0 of 1 allowed actions remain',
    });
  });

  it('takes the instance out of its Auto Scaling group and target group, and protects it', async () => {
    const s = await buildScenario(env.clients, { inService: true });
    await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    const asg = await env.clients.autoscaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [s.instanceId] }),
    );
    expect(asg.AutoScalingInstances).toEqual([]);
    const health = await env.clients.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }),
    );
    expect((health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id)).toEqual([s.twinId]);
    const term = await env.clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: s.instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(term.DisableApiTermination?.Value).toBe(true);
  });

  it('adds deny entries for the instance address to every network ACL of the VPC', async () => {
    const s = await buildScenario(env.clients);
    const out = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    if (out.status !== 'isolated') throw new Error(out.status);
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    const ip =
      (rec?.preState.network as { enis: { privateIpv4: string[] }[] } | undefined)?.enis[0]?.privateIpv4[0] ??
      '';
    const acls = await env.clients.ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [s.vpcId] }] }),
    );
    for (const acl of acls.NetworkAcls ?? []) {
      const deny = (acl.Entries ?? []).filter((e) => e.RuleAction === 'deny' && e.CidrBlock === `${ip}/32`);
      expect(deny.map((e) => e.Egress).sort()).toEqual([false, true]);
    }
    expect(out.verified).toBe(true);
  });

  it('records the quarantine with its pre-state and a timeline', async () => {
    const s = await buildScenario(env.clients, { secondEni: true, inService: true });
    const out = await quarantine(env.clients, env.ledger, request(s.instanceId), DEFAULT_ENGINE_CONFIG);
    if (out.status !== 'isolated') throw new Error(out.status);
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    expect(rec?.state).toBe('isolated');
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining([
        'request',
        'describe',
        'network-cut',
        'revoke-credentials',
        'detach-from-service',
        'protect-instance',
        'nacl-deny',
        'verify',
      ]),
    );
    expect(rec?.preState.attachments).toMatchObject({
      autoScalingGroup: s.asgName,
      targets: [{ targetGroupArn: s.targetGroupArn, port: 443 }],
    });
    expect(rec?.changes.credentials).toEqual({
      roleName: s.roleName,
      policyArn: POLICY,
      instanceArn: expect.stringMatching(new RegExp(`instance/${s.instanceId}$`)),
    });
    expect(rec?.actions.find((a) => a.step === 'revoke-credentials')?.detail).toMatchObject({
      denyPolicy: POLICY,
      listedInstances: 1,
      policyCapacity: expect.any(Number),
      knownGap: expect.stringContaining('sts:AssumeRole'),
    });
  });

  it('denies two instances of one role through one managed policy, writing no inline policy', async () => {
    const s = await buildScenario(env.clients);
    const inline = await env.clients.iam.send(new ListRolePoliciesCommand({ RoleName: s.roleName }));
    for (const id of [s.instanceId, s.twinId]) {
      const out = await quarantine(env.clients, env.ledger, request(id), DEFAULT_ENGINE_CONFIG);
      expect(out).toMatchObject({ status: 'isolated', verified: true });
    }
    expect(await quarantinedList(env)).toEqual(
      [s.instanceId, s.twinId].map((id) => `arn:aws:ec2:${REGION}:123456789012:instance/${id}`).sort(),
    );
    const after = await env.clients.iam.send(new ListRolePoliciesCommand({ RoleName: s.roleName }));
    expect(after.PolicyNames).toEqual(inline.PolicyNames);
  });
});
