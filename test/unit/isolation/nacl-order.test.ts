import {
  CreateNetworkAclEntryCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type NetworkAclEntry,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { denyInNetworkAcls } from '../../../lambdas/core/isolation/nacl-deny';
import { verifyIsolation } from '../../../lambdas/core/isolation/verify-isolation';

/**
 * Network ACL rules "are evaluated starting with the lowest numbered rule. As soon as a rule matches
 * traffic, it's applied regardless of any higher-numbered rule that might contradict it."
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const eni = {
  eniId: 'eni-a',
  subnetId: 'subnet-1',
  deviceIndex: 0,
  groupIds: ['sg-web'],
  privateIpv4: ['10.0.0.9'],
  ipv6: [],
};
const rule = (
  RuleNumber: number,
  RuleAction: 'allow' | 'deny',
  CidrBlock: string,
  Egress = false,
): NetworkAclEntry => ({ RuleNumber, RuleAction, CidrBlock, Egress, Protocol: '-1' });
const acls = (...entries: NetworkAclEntry[]) => ({
  NetworkAcls: [{ NetworkAclId: 'acl-1', Entries: entries }],
});

describe('Function: denyInNetworkAcls (rule order)', () => {
  it('places each deny below the lowest allow rule of its direction', async () => {
    // Arrange: rules 1 and 2 are taken by other quarantines, allows start at 50 inbound and 3 outbound.
    ec2
      .on(DescribeNetworkAclsCommand)
      .resolves(
        acls(
          rule(1, 'deny', '10.0.0.1/32'),
          rule(2, 'deny', '10.0.0.2/32'),
          rule(50, 'allow', '10.0.0.0/8'),
          rule(3, 'allow', '0.0.0.0/0', true),
          rule(32767, 'deny', '0.0.0.0/0'),
          rule(32767, 'deny', '0.0.0.0/0', true),
        ),
      );
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    // Act
    const res = await denyInNetworkAcls(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', [eni]);
    // Assert
    expect(res.entries).toEqual([
      expect.objectContaining({ networkAclId: 'acl-1', egress: false, ruleNumber: 3, cidr: '10.0.0.9/32' }),
      expect.objectContaining({ networkAclId: 'acl-1', egress: true, ruleNumber: 1, cidr: '10.0.0.9/32' }),
    ]);
    expect(res.behindAllow).toEqual([]);
  });

  it('reports an ACL with no free rule number below its first allow rule instead of adding a deny that never acts', async () => {
    // Arrange: the review's example, an allow at 1 and another at 2 (inbound).
    ec2
      .on(DescribeNetworkAclsCommand)
      .resolves(
        acls(
          rule(1, 'allow', '10.0.0.0/8'),
          rule(2, 'allow', '0.0.0.0/0'),
          rule(100, 'allow', '0.0.0.0/0', true),
        ),
      );
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    // Act
    const res = await denyInNetworkAcls(new EC2Client({ region: 'eu-west-1' }), 'vpc-1', [eni]);
    // Assert: outbound is denied at 1; inbound cannot be placed before rule 1 and is reported.
    expect(ec2).toHaveReceivedCommandTimes(CreateNetworkAclEntryCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(CreateNetworkAclEntryCommand, { Egress: true, RuleNumber: 1 });
    expect(res.behindAllow).toEqual(['acl-1 ingress: no free rule number below allow rule 1']);
  });
});

describe('Function: verifyIsolation (rule order)', () => {
  it('raises an alarm for a deny entry that sits after an allow rule matching its address', async () => {
    // Arrange: the deny at 3 exists, but allow 10.0.0.0/8 at rule 1 matches the address first.
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a', Groups: [{ GroupId: 'sg-q' }] }],
    });
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-q', IpPermissions: [], IpPermissionsEgress: [] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    ec2
      .on(DescribeNetworkAclsCommand)
      .resolves(
        acls(
          rule(1, 'allow', '10.0.0.0/8'),
          rule(3, 'deny', '10.0.0.9/32'),
          rule(1, 'deny', '10.0.0.9/32', true),
        ),
      );
    // Act
    const v = await verifyIsolation(
      { ec2: new EC2Client({ region: 'eu-west-1' }), iam: new IAMClient({ region: 'eu-west-1' }) },
      {
        instanceId: 'i-1',
        vpcId: 'vpc-1',
        eniIds: ['eni-a'],
        quarantineGroupId: 'sg-q',
        forensicCidrs: [],
        naclEntries: [
          { networkAclId: 'acl-1', ruleNumber: 3, egress: false, cidr: '10.0.0.9/32' },
          { networkAclId: 'acl-1', ruleNumber: 1, egress: true, cidr: '10.0.0.9/32' },
        ],
      },
      { sleep: async () => undefined },
    );
    // Assert
    expect(v.verified).toBe(false);
    expect(v.mismatches).toEqual([
      'NACL acl-1 deny ingress 10.0.0.9/32 at rule 3 comes after allow rule 1 (10.0.0.0/8), which matches first',
    ]);
  });
});
