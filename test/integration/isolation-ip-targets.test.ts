import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { release } from '../../lambdas/core/isolation/release';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const ON_CALL = 'arn:aws:iam::123456789012:role/on-call';

/**
 * In an `ip` target group the target Id is an IP address, so an instance registered by its private IP is
 * not found by looking for its instance id.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
 */
describe('isolation of an instance registered by IP in a target group', () => {
  let env: MotoEnv;
  beforeEach(async () => {
    env = await freshMoto();
  });

  const targets = async (arn: string) =>
    (
      await env.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
    ).TargetHealthDescriptions?.map((d) => `${d.Target?.Id}:${d.Target?.Port}`).sort();

  it("deregisters the instance's IP targets, records them, and re-registers exactly them on release", async () => {
    // Arrange
    const s = await buildScenario(env.clients, { ipTargetGroup: true });
    const arn = s.ipTargetGroupArn ?? '';
    const before = await targets(arn);
    expect(before).toHaveLength(2);
    // Act 1
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: s.instanceId, region: REGION },
        reason: 'ip',
        trigger: { kind: 'api', principalArn: ON_CALL },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    if (out.status !== 'isolated') throw new Error(out.status);
    // Assert 1: only the twin stays in service, and the record names the IP target with its port.
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    const network = rec?.preState.network as { enis: { privateIpv4: string[] }[] } | undefined;
    const ip = network?.enis[0]?.privateIpv4[0];
    expect(await targets(arn)).toEqual(before?.filter((t) => !t.startsWith(`${ip}:`)));
    expect(rec?.preState.attachments).toMatchObject({
      targets: [{ targetGroupArn: arn, id: ip, port: 8443 }],
    });
    // Act 2
    await release(env.clients, env.ledger, {
      quarantineId: out.quarantineId,
      reason: 'false positive',
      actor: ON_CALL,
      force: true,
      reattach: true,
    });
    // Assert 2
    expect(await targets(arn)).toEqual(before);
  });
});
