import {
  CreateEgressOnlyInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
} from '@aws-sdk/client-ec2';
import { DEFAULT_ENGINE_CONFIG, TRACKED_FLOWS_NOTE } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildScenario } from '../../local-aws/scenario';
import { freshMoto, REGION } from '../support/moto';

/**
 * An egress-only internet gateway's flows are automatically tracked
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#automatic-tracking)
 * and it has no subnet, so no network ACL deny for the instance's address acts on that path.
 */
describe('isolation where a tracked path bypasses both cuts', () => {
  it('records an alarm, not "verified", when the instance\'s subnet routes IPv6 to an egress-only internet gateway', async () => {
    // Arrange: the subnet uses the VPC's main route table; give it a ::/0 route to an EIGW.
    const env = await freshMoto();
    const s = await buildScenario(env.clients);
    const eigw = await env.clients.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: s.vpcId }));
    const eigwId = eigw.EgressOnlyInternetGateway?.EgressOnlyInternetGatewayId ?? '';
    const tables = await env.clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [s.vpcId] }] }),
    );
    const main = tables.RouteTables?.find((t) => t.Associations?.some((a) => a.Main === true));
    await env.clients.ec2.send(
      new CreateRouteCommand({
        RouteTableId: main?.RouteTableId,
        DestinationIpv6CidrBlock: '::/0',
        EgressOnlyInternetGatewayId: eigwId,
      }),
    );
    // Act
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: s.instanceId, region: REGION },
        reason: 'eigw',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    // Assert
    if (out.status !== 'isolated') throw new Error(out.status);
    expect(out.verified).toBe(false);
    expect(out.mismatches).toEqual([expect.stringContaining(`egress-only internet gateway ${eigwId}`)]);
    const rec = await getQuarantine(env.ledger, out.quarantineId);
    expect(rec?.actions.find((a) => a.step === 'verify')?.outcome).toBe('alarm');
    expect(rec?.actions.find((a) => a.step === 'network-cut')?.detail).toMatchObject({
      note: TRACKED_FLOWS_NOTE,
    });
  });
});
