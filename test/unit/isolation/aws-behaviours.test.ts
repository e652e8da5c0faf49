import {
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { cutNetwork } from '../../../lambdas/core/isolation/isolate-network';
import { denyInNetworkAcls } from '../../../lambdas/core/isolation/nacl-deny';
import { findOrCreateGroups } from '../../../lambdas/core/isolation/quarantine-groups';

/** An AWS error as the SDK raises it (`name` is the error code). */
const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
afterEach(() => {
  ec2.reset();
  iam.reset();
});

const eni = (eniId: string, ip: string) => ({
  eniId,
  subnetId: 'subnet-1',
  deviceIndex: 0,
  groupIds: ['sg-web'],
  privateIpv4: [ip],
  ipv6: [],
});

describe('Function: cutNetwork', () => {
  it('moves every ENI to the untracked group before any ENI goes to the quarantine group, with nothing in between', async () => {
    // Prepare
    ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({ $metadata: { requestId: 'r' } });
    const enis = [eni('eni-a', '10.0.0.1'), eni('eni-b', '10.0.0.2'), eni('eni-c', '10.0.0.3')];
    // Act
    await cutNetwork(new EC2Client({ region: 'eu-west-1' }), enis, {
      untrackedGroupId: 'sg-open',
      quarantineGroupId: 'sg-q',
    });
    // Assess: the connection tracking rule needs this order on every interface.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html
    const calls = ec2.calls().map((c) => c.args[0].input as { NetworkInterfaceId: string; Groups: string[] });
    expect(calls).toHaveLength(6);
    expect(calls.slice(0, 3).map((c) => c.Groups)).toEqual([['sg-open'], ['sg-open'], ['sg-open']]);
    expect(calls.slice(3).map((c) => c.Groups)).toEqual([['sg-q'], ['sg-q'], ['sg-q']]);
    expect(new Set(calls.slice(3).map((c) => c.NetworkInterfaceId))).toEqual(
      new Set(['eni-a', 'eni-b', 'eni-c']),
    );
  });

  it('skips interfaces already in the quarantine group (a retry after the cut)', async () => {
    ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    const done = { ...eni('eni-a', '10.0.0.1'), groupIds: ['sg-q'] };
    await cutNetwork(new EC2Client({ region: 'eu-west-1' }), [done], {
      untrackedGroupId: 'sg-open',
      quarantineGroupId: 'sg-q',
    });
    expect(ec2).not.toHaveReceivedCommand(ModifyNetworkInterfaceAttributeCommand);
  });
});

describe('Function: findOrCreateGroups', () => {
  it('uses the group another quarantine created first when CreateSecurityGroup reports a duplicate name', async () => {
    // moto does not race; AWS returns InvalidGroup.Duplicate for a second group of the same name in a VPC.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    ec2.on(DescribeSecurityGroupsCommand).resolvesOnce({ SecurityGroups: [] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-winner' }] });
    ec2.on(CreateSecurityGroupCommand).rejects(awsError('InvalidGroup.Duplicate'));
    const groups = await findOrCreateGroups(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', []);
    expect(groups.untrackedGroupId).toBe('sg-winner');
    expect(groups.quarantineGroupId).toBe('sg-winner');
    expect(groups.created).toEqual([]);
  });

  it('revokes the default egress rule of a quarantine group a crashed run created but never emptied', async () => {
    // Arrange: CreateSecurityGroup gives every new group an allow-all egress rule; a run that died right
    // after it left the group that way. https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
    const allOut = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-u', GroupName: 'sequester-untracked-vpc-1', IpPermissionsEgress: [allOut] },
        { GroupId: 'sg-q', GroupName: 'sequester-quarantine-vpc-1', IpPermissionsEgress: [allOut] },
      ],
    });
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({});
    // Act
    const groups = await findOrCreateGroups(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', []);
    // Assert: only the quarantine group is emptied; the untracked group must keep allowing everything.
    expect(groups).toMatchObject({ untrackedGroupId: 'sg-u', quarantineGroupId: 'sg-q', created: [] });
    expect(ec2).toHaveReceivedCommandTimes(RevokeSecurityGroupEgressCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupEgressCommand, {
      GroupId: 'sg-q',
      IpPermissions: [allOut],
    });
  });
});

describe('Function: denyInNetworkAcls', () => {
  const acl = (
    entries: { RuleNumber: number; Egress: boolean; RuleAction: 'allow' | 'deny'; CidrBlock: string }[],
  ) => ({
    NetworkAcls: [{ NetworkAclId: 'acl-1', Entries: entries }],
  });

  it('reports a full network ACL without failing the quarantine', async () => {
    // AWS limits rules per ACL (20 per direction by default); moto does not enforce the quota.
    // https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
    ec2.on(DescribeNetworkAclsCommand).resolves(acl([]));
    ec2.on(CreateNetworkAclEntryCommand).rejects(awsError('NetworkAclEntryLimitExceeded'));
    const res = await denyInNetworkAcls(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', [
      eni('eni-a', '10.0.0.9'),
    ]);
    expect(res.full).toEqual(['acl-1']);
    expect(res.entries).toEqual([]);
  });

  it('takes the next free rule number when another quarantine took the same one first', async () => {
    ec2
      .on(DescribeNetworkAclsCommand)
      .resolvesOnce(acl([{ RuleNumber: 100, Egress: false, RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }]))
      .resolves(acl([{ RuleNumber: 1, Egress: false, RuleAction: 'deny', CidrBlock: '10.0.0.7/32' }]));
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    ec2
      .on(CreateNetworkAclEntryCommand, { RuleNumber: 1, Egress: false })
      .rejectsOnce(awsError('NetworkAclEntryAlreadyExists'));
    await denyInNetworkAcls(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', [eni('eni-a', '10.0.0.9')]);
    expect(ec2).toHaveReceivedCommandWith(CreateNetworkAclEntryCommand, {
      RuleNumber: 2,
      Egress: false,
      CidrBlock: '10.0.0.9/32',
      RuleAction: 'deny',
    });
  });
});
