import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { release } from '../../lambdas/core/isolation/release';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { type Fault, FaultLayer } from '../../local-aws/fault-layer';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, REGION } from '../support/moto';

const ON_CALL = 'arn:aws:iam::123456789012:role/on-call';

/**
 * What AWS answers for a one-time Spot Instance and moto does not: termination protection cannot be
 * enabled ("You can't enable termination protection for Spot Instances",
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html), the instance
 * cannot be stopped (UnsupportedOperation "... associated with a one-time Spot Instance request"), and
 * "stop" is not a shutdown behaviour it supports.
 */
function spotRules(spot: () => string, seen: string[]) {
  return (op: string, _n: number, p: URLSearchParams): Fault | undefined => {
    const mine = p.get('InstanceId') === spot() || p.get('InstanceId.1') === spot();
    if (!mine) return undefined;
    if (op === 'ModifyInstanceAttribute') {
      if (p.has('DisableApiTermination.Value'))
        seen.push(`DisableApiTermination=${p.get('DisableApiTermination.Value')}`);
      if (
        p.get('DisableApiTermination.Value') === 'true' ||
        p.get('InstanceInitiatedShutdownBehavior.Value') === 'stop'
      )
        return { status: 400, code: 'UnsupportedOperation' };
    }
    if (op === 'StopInstances') return { status: 400, code: 'UnsupportedOperation' };
    return undefined;
  };
}

describe('isolation of a Spot Instance (AWS Spot restrictions injected in front of moto)', () => {
  it('isolates a one-time Spot Instance, recording the protections AWS does not allow instead of failing', async () => {
    // Arrange
    let spotId = '';
    const sent: string[] = [];
    const layer = new FaultLayer({ fault: spotRules(() => spotId, sent) });
    const env = await freshMoto(REGION, { requestHandler: layer });
    const s = await buildScenario(env.clients, { spot: true });
    spotId = s.instanceId;
    // Act
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: s.instanceId, region: REGION },
        reason: 'spot',
        trigger: { kind: 'api', principalArn: ON_CALL },
        options: { stopInstance: true },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    // Assert: isolated (the workflow goes on to the snapshots), and the record says what was not done.
    expect(out).toMatchObject({ status: 'isolated', verified: true, mismatches: [] });
    if (out.status !== 'isolated') throw new Error(out.status);
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    expect(rec?.state).toBe('isolated');
    const protect = rec?.actions.find((a) => a.step === 'protect-instance');
    expect(protect).toMatchObject({
      outcome: 'alarm',
      detail: {
        skipped: { disableApiTermination: expect.stringContaining('Spot') },
        failed: { shutdownBehavior: expect.stringContaining('UnsupportedOperation') },
        applied: { tags: true },
      },
    });
    expect(rec?.actions.find((a) => a.step === 'stop-instance')).toMatchObject({
      outcome: 'alarm',
      detail: { message: expect.stringContaining('UnsupportedOperation') },
    });
    expect(sent).toEqual([]);
  });

  it('does not restore on release a protection isolation skipped', async () => {
    // Arrange
    let spotId = '';
    const sent: string[] = [];
    const layer = new FaultLayer({ fault: spotRules(() => spotId, sent) });
    const env = await freshMoto(REGION, { requestHandler: layer });
    const s = await buildScenario(env.clients, { spot: true });
    spotId = s.instanceId;
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: s.instanceId, region: REGION },
        reason: 'spot',
        trigger: { kind: 'api', principalArn: ON_CALL },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    if (out.status !== 'isolated') throw new Error(out.status);
    // Act
    const done = await release(env.clients, env.ledger, {
      quarantineId: out.quarantineId,
      reason: 'false positive',
      actor: ON_CALL,
      force: true,
    });
    // Assert: released, and termination protection was never written in either direction.
    expect(done.state).toBe('released');
    expect(sent).toEqual([]);
    const term = await env.clients.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: s.instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(term.DisableApiTermination?.Value).toBe(false);
  });
});
