import { DescribeNatGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { activityTarget } from '../../../lambdas/core/investigation/activity/activity-target';
import { flowTarget } from '../../../lambdas/core/investigation/flow-logs/flow-target';
import { natGatewaysOnce } from '../../../lambdas/core/investigation/nat-gateways';
import type { QuarantineRecord } from '../../../lambdas/core/ledger/record';

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
afterEach(() => {
  ec2.reset();
  iam.reset();
});

const VPC = 'vpc-0a1b2c3d4e5f67890';
/** DescribeNatGateways as AWS answers it: each address with its public IP and network interface. */
const NAT_ANSWER = {
  NatGateways: [
    {
      NatGatewayId: 'nat-0123456789abcdef0',
      VpcId: VPC,
      NatGatewayAddresses: [{ PublicIp: '203.0.113.7', NetworkInterfaceId: 'eni-0nat00000000000001' }],
    },
  ],
};
const record = {
  quarantineId: 'q-1',
  instance: { instanceId: 'i-0abc1234def567890', region: 'eu-west-1', accountId: '123456789012' },
  createdAt: '2026-11-30T08:00:00.000Z',
  preState: {
    instance: { vpcId: VPC, launchTime: '2026-11-29T08:00:00.000Z' },
    network: {
      vpcId: VPC,
      enis: [
        { eniId: 'eni-0aaa', subnetId: 'subnet-0a', privateIpv4: ['10.0.1.5'], ipv6: [], publicIpv4: [] },
      ],
    },
  },
  changes: { credentials: { roleName: 'web' } },
  actions: [],
} as unknown as QuarantineRecord;

describe('NAT gateways of one activity pass', () => {
  it('are read once and serve both the session addresses and the flow target', async () => {
    ec2.on(DescribeNatGatewaysCommand).resolves(NAT_ANSWER);
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }] });
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'web',
        RoleId: 'AROAEXAMPLEROLEID1234',
        Arn: 'arn:aws:iam::123456789012:role/web',
        Path: '/',
        CreateDate: new Date(),
      },
    });
    const client = new EC2Client({ region: 'eu-west-1' });
    const shared = natGatewaysOnce(client);

    const session = await activityTarget(
      { iam: new IAMClient({ region: 'eu-west-1' }), ec2: client },
      record,
      shared,
    );
    const flows = await flowTarget(client, record, shared);

    expect(ec2.commandCalls(DescribeNatGatewaysCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeNatGatewaysCommand)[0]?.args[0].input.Filter).toEqual([
      { Name: 'vpc-id', Values: [VPC] },
    ]);
    expect('instanceAddresses' in session && session.instanceAddresses).toEqual(['10.0.1.5', '203.0.113.7']);
    expect('target' in flows && flows.target.natEniIds).toEqual(['eni-0nat00000000000001']);
  });

  it('share a failed read, each side recording its own gap', async () => {
    ec2
      .on(DescribeNatGatewaysCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }] });
    const client = new EC2Client({ region: 'eu-west-1' });
    const shared = natGatewaysOnce(client);

    const first = await flowTarget(client, record, shared);
    const second = await flowTarget(client, record, shared);

    expect(ec2.commandCalls(DescribeNatGatewaysCommand)).toHaveLength(1);
    for (const out of [first, second]) {
      expect('target' in out && out.target.natEniIds).toBeUndefined();
      expect('gaps' in out && out.gaps.join(' ')).toMatch(/NAT gateways unknown.*UnauthorizedOperation/);
    }
  });
});
