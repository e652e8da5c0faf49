import {
  CreateNetworkAclEntryCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { denyInNetworkAcls } from '../../../lambdas/core/isolation/nacl-deny';
import { targetDescription } from '../../../lambdas/core/isolation/service-attachments';
import { describeTarget } from '../../../lambdas/core/isolation/target-instance';
import { verifyIsolation } from '../../../lambdas/core/isolation/verify-isolation';
import { parseQuarantineRequest } from '../../../lambdas/core/schemas/quarantine-request';

/**
 * An ENI with prefix delegation (EKS pods) also answers for its delegated prefixes, which DescribeInstances
 * lists as Ipv4Prefixes / Ipv6Prefixes; a trunk ENI (EKS security groups for pods, ECS awsvpc trunking)
 * carries branch interfaces that DescribeInstances does not list.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterface.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-prefix-eni.html
 */
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());
const client = () => new EC2Client({ region: 'eu-west-1' });

const podNode = {
  InstanceId: 'i-0123456789abcdef0',
  State: { Name: 'running' as const },
  VpcId: 'vpc-1',
  NetworkInterfaces: [
    {
      NetworkInterfaceId: 'eni-node',
      SubnetId: 'subnet-1',
      InterfaceType: 'trunk',
      Attachment: { DeviceIndex: 0 },
      Groups: [{ GroupId: 'sg-node' }],
      PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10' }],
      Ipv6Addresses: [{ Ipv6Address: '2001:db8::10' }],
      Ipv4Prefixes: [{ Ipv4Prefix: '10.0.1.16/28' }],
      Ipv6Prefixes: [{ Ipv6Prefix: '2001:db8:0:0:1::/80' }],
    },
  ],
};

describe('Function: describeTarget (addresses)', () => {
  it('keeps the delegated prefixes and the interface type of every ENI', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ OwnerId: '123456789012', Instances: [podNode] }] });
    const t = await describeTarget(
      client(),
      parseQuarantineRequest({
        instance: { instanceId: 'i-0123456789abcdef0', region: 'eu-west-1' },
        reason: 'pods',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      }),
    );
    expect(t.enis[0]).toMatchObject({
      ipv4Prefixes: ['10.0.1.16/28'],
      ipv6Prefixes: ['2001:db8:0:0:1::/80'],
      interfaceType: 'trunk',
    });
  });
});

describe('Function: denyInNetworkAcls (addresses)', () => {
  it('denies the delegated prefixes in both directions as well as the addresses', async () => {
    ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [{ NetworkAclId: 'acl-1', Entries: [] }] });
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    const res = await denyInNetworkAcls(client(), 'vpc-1', [
      {
        eniId: 'eni-node',
        subnetId: 'subnet-1',
        deviceIndex: 0,
        groupIds: ['sg-node'],
        privateIpv4: ['10.0.1.10'],
        ipv6: [],
        ipv4Prefixes: ['10.0.1.16/28'],
        ipv6Prefixes: ['2001:db8:0:0:1::/80'],
      },
    ]);
    for (const egress of [false, true]) {
      expect(ec2).toHaveReceivedCommandWith(CreateNetworkAclEntryCommand, {
        Egress: egress,
        CidrBlock: '10.0.1.16/28',
      });
      expect(ec2).toHaveReceivedCommandWith(CreateNetworkAclEntryCommand, {
        Egress: egress,
        Ipv6CidrBlock: '2001:db8:0:0:1::/80',
      });
    }
    expect(res.entries).toHaveLength(6);
  });
});

describe('Function: verifyIsolation (trunk interfaces)', () => {
  it('raises an alarm for a trunk ENI, whose branch interfaces the cut never saw', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [{ NetworkInterfaceId: 'eni-node', Groups: [{ GroupId: 'sg-q' }] }],
    });
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-q', IpPermissions: [], IpPermissionsEgress: [] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    const v = await verifyIsolation(
      { ec2: client(), iam: new IAMClient({ region: 'eu-west-1' }) },
      {
        instanceId: 'i-0123456789abcdef0',
        vpcId: 'vpc-1',
        eniIds: ['eni-node'],
        trunkEniIds: ['eni-node'],
        quarantineGroupId: 'sg-q',
        forensicCidrs: [],
        naclEntries: [],
      },
      { sleep: async () => undefined },
    );
    expect(v.verified).toBe(false);
    expect(v.mismatches).toEqual([expect.stringContaining('eni-node is a trunk interface')]);
  });
});

describe('Function: targetDescription', () => {
  it('names an IP registration by its address, port and Availability Zone, and an instance registration by the instance id', () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/1';
    expect(
      targetDescription({ targetGroupArn: arn, id: '10.0.1.10', port: 8443, availabilityZone: 'all' }, 'i-1'),
    ).toEqual({ Id: '10.0.1.10', Port: 8443, AvailabilityZone: 'all' });
    expect(targetDescription({ targetGroupArn: arn, port: 443 }, 'i-1')).toEqual({ Id: 'i-1', Port: 443 });
  });
});
