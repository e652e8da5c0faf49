import { DescribeInstancesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { isolate, quarantine } from '../../lambdas/core/isolation/isolate';
import { findActiveQuarantine, getQuarantine } from '../../lambdas/core/ledger/ledger';
import { type Fault, FaultLayer } from '../../local-aws/fault-layer';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, REGION } from '../support/moto';

const req = (instanceId: string) => ({
  instance: { instanceId, region: REGION },
  reason: 'faults',
  trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
});

describe('isolation under AWS faults (moto behind a fault-injecting HTTP layer)', () => {
  it('absorbs throttling and 5xx on every mutating call through the SDK retries, isolating once', async () => {
    // Prepare: every mutating EC2/IAM call fails first with throttling, then a 500, then succeeds.
    const flaky = new Set([
      'ModifyNetworkInterfaceAttribute',
      'CreatePolicy',
      'AttachRolePolicy',
      'DisassociateIamInstanceProfile',
      'CreateNetworkAclEntry',
      'CreateTags',
    ]);
    const layer = new FaultLayer({
      fault: (op, n): Fault | undefined =>
        flaky.has(op) && n <= 2 ? (n === 1 ? 'throttle' : 'server-error') : undefined,
    });
    const env = await freshMoto(REGION, { requestHandler: layer, maxAttempts: 5 });
    const s = await buildScenario(env.clients, { secondEni: true });
    // Act
    const out = await quarantine(env.clients, env.ledger, req(s.instanceId), DEFAULT_ENGINE_CONFIG);
    // Assess
    expect(out).toMatchObject({ status: 'isolated', verified: true });
    expect(layer.injected).toBeGreaterThanOrEqual(flaky.size * 2);
    const groups = await env.clients.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [s.vpcId] }] }),
    );
    expect((groups.SecurityGroups ?? []).filter((g) => g.GroupName?.startsWith('sequester-'))).toHaveLength(
      2,
    );
  });

  it('records a step that keeps failing, and a retry completes isolation from the recorded pre-state', async () => {
    // Prepare: IAM refuses AttachRolePolicy (not retryable) on the first run only.
    let iamDown = false;
    const layer = new FaultLayer({
      fault: (op) =>
        op === 'AttachRolePolicy' && iamDown ? { status: 403, code: 'AccessDenied' } : undefined,
    });
    const env = await freshMoto(REGION, { requestHandler: layer });
    const s = await buildScenario(env.clients, { secondEni: true });
    iamDown = true;
    // Act 1: the first run fails part-way.
    await expect(
      quarantine(env.clients, env.ledger, req(s.instanceId), DEFAULT_ENGINE_CONFIG),
    ).rejects.toMatchObject({
      name: 'StepFailedError',
      step: 'revoke-credentials',
    });
    const active = await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId });
    expect(active).toMatchObject({ state: 'failed', failure: { step: 'revoke-credentials' } });
    // The network was cut anyway: containment first.
    const inst = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const groupIds = (inst.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).flatMap((n) =>
      (n.Groups ?? []).map((g) => g.GroupId),
    );
    expect(new Set(groupIds).size).toBe(1);
    expect(groupIds).not.toContain(s.webGroupId);
    // Act 2: IAM is back; the workflow retries the task.
    iamDown = false;
    const out = await isolate(env.clients, env.ledger, active?.quarantineId ?? '', DEFAULT_ENGINE_CONFIG);
    // Assess: isolated and verified, and the pre-state still holds the original groups for release.
    expect(out).toMatchObject({ status: 'isolated', verified: true });
    const rec = await getQuarantine(env.ledger, active?.quarantineId ?? '');
    const enis = (rec?.preState.network as { enis: { groupIds: string[] }[] } | undefined)?.enis ?? [];
    expect(enis.flatMap((e) => e.groupIds)).toContain(s.webGroupId);
    expect(rec?.actions.filter((a) => a.step === 'revoke-credentials').map((a) => a.outcome)).toEqual([
      'failed',
      'ok',
    ]);
  });

  it('repeating the isolate task after success changes nothing and reports the existing state', async () => {
    const layer = new FaultLayer();
    const env = await freshMoto(REGION, { requestHandler: layer });
    const s = await buildScenario(env.clients);
    const first = await quarantine(env.clients, env.ledger, req(s.instanceId), DEFAULT_ENGINE_CONFIG);
    if (first.status !== 'isolated') throw new Error(first.status);
    const before = layer.calls.length;
    const again = await isolate(env.clients, env.ledger, first.quarantineId, DEFAULT_ENGINE_CONFIG);
    expect(again).toEqual({ status: 'joined', quarantineId: first.quarantineId, state: 'isolated' });
    const mutating = layer.calls.slice(before).filter((c) => !/^(Describe|Get|List)/.test(c.operation));
    expect(mutating).toEqual([]);
  });

  it('repairs the record on retry when the ledger write fails after isolation succeeded', async () => {
    // Prepare: DynamoDB goes down right after the third ledger update of the run (the last one before
    // the final "isolated" write), for every later write including the failure record.
    let ddbDown = false;
    let updates = 0;
    const layer = new FaultLayer({
      fault: (op) => {
        if (op !== 'UpdateItem') return undefined;
        updates += 1;
        return ddbDown && updates > 3 ? { status: 500, code: 'InternalServerError' } : undefined;
      },
    });
    const env = await freshMoto(REGION, { requestHandler: layer, maxAttempts: 2 });
    const s = await buildScenario(env.clients, { inService: true });
    ddbDown = true;
    // Act 1: AWS is fully isolated, but the ledger could not record it.
    await expect(
      quarantine(env.clients, env.ledger, req(s.instanceId), DEFAULT_ENGINE_CONFIG),
    ).rejects.toBeDefined();
    const stale = await findActiveQuarantine(env.ledger, { region: REGION, instanceId: s.instanceId });
    expect(stale?.state).toBe('isolating');
    // Act 2: the ledger is back and the workflow retries the task.
    ddbDown = false;
    const out = await isolate(env.clients, env.ledger, stale?.quarantineId ?? '', DEFAULT_ENGINE_CONFIG);
    // Assess: the record is complete, and its pre-state is the original one, not the isolated one.
    expect(out).toMatchObject({ status: 'isolated', verified: true });
    const rec = await getQuarantine(env.ledger, stale?.quarantineId ?? '');
    expect(rec?.state).toBe('isolated');
    expect(rec?.actions.filter((a) => a.step === 'verify').map((a) => a.outcome)).toEqual(['ok']);
    expect(rec?.preState.attachments).toMatchObject({
      autoScalingGroup: s.asgName,
      profileAssociation: expect.any(Object),
    });
  });
});
