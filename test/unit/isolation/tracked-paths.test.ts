import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TRACKED_FLOWS_NOTE } from '../../../lambdas/core/isolation/engine-config';
import { verifyIsolation } from '../../../lambdas/core/isolation/verify-isolation';

/**
 * Flows through NAT gateways, load balancers and endpoints stay tracked after a security group change
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#automatic-tracking),
 * and a network ACL only acts where traffic crosses a subnet boundary
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
 */
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const facts = {
  instanceId: 'i-1',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-1'],
  eniIds: ['eni-a'],
  quarantineGroupId: 'sg-q',
  forensicCidrs: [],
  naclEntries: [],
};

function cleanIsolation() {
  ec2
    .on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: ['eni-a'] })
    .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a', Groups: [{ GroupId: 'sg-q' }] }] });
  ec2
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: [{ GroupId: 'sg-q', IpPermissions: [], IpPermissionsEgress: [] }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
}

const verify = () =>
  verifyIsolation(
    { ec2: new EC2Client({ region: 'eu-west-1' }), iam: new IAMClient({ region: 'eu-west-1' }) },
    facts,
    { sleep: async () => undefined },
  );

describe('Function: verifyIsolation (tracked paths the cut cannot reach)', () => {
  it("raises an alarm for a NAT gateway, NLB node or endpoint ENI in the instance's own subnet", async () => {
    cleanIsolation();
    ec2
      .on(DescribeNetworkInterfacesCommand, { Filters: [{ Name: 'subnet-id', Values: ['subnet-1'] }] })
      .resolves({
        NetworkInterfaces: [
          { NetworkInterfaceId: 'eni-a', SubnetId: 'subnet-1', InterfaceType: 'interface' },
          { NetworkInterfaceId: 'eni-nat', SubnetId: 'subnet-1', InterfaceType: 'natGateway' },
          { NetworkInterfaceId: 'eni-nlb', SubnetId: 'subnet-1', InterfaceType: 'network_load_balancer' },
          {
            NetworkInterfaceId: 'eni-gwlbe',
            SubnetId: 'subnet-1',
            InterfaceType: 'gateway_load_balancer_endpoint',
          },
        ],
      });
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
    const v = await verify();
    expect(v.verified).toBe(false);
    expect(v.mismatches).toEqual([
      expect.stringContaining('NAT gateway eni-nat'),
      expect.stringContaining('Network Load Balancer node eni-nlb'),
      expect.stringContaining('eni-gwlbe'),
    ]);
  });

  it('raises an alarm when the subnet routes to an egress-only internet gateway (through the main table)', async () => {
    cleanIsolation();
    ec2
      .on(DescribeNetworkInterfacesCommand, { Filters: [{ Name: 'subnet-id', Values: ['subnet-1'] }] })
      .resolves({
        NetworkInterfaces: [],
      });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: 'rtb-main',
          Associations: [{ Main: true }],
          Routes: [{ DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1' }],
        },
      ],
    });
    const v = await verify();
    expect(v.mismatches).toEqual([expect.stringContaining('egress-only internet gateway eigw-1')]);
  });
});

describe('Constant: TRACKED_FLOWS_NOTE', () => {
  it('names every automatically tracked path and the all-inbound window of the untrack swap', () => {
    for (const path of [
      'egress-only internet gateways',
      'Gateway Load Balancers',
      'Global Accelerator',
      'Network Firewall',
      'NAT gateways',
      'Network Load Balancers',
      'PrivateLink',
      'Transit Gateway',
    ])
      expect(TRACKED_FLOWS_NOTE).toContain(path);
    expect(TRACKED_FLOWS_NOTE).toMatch(/all inbound traffic .* one round trip/);
  });
});
