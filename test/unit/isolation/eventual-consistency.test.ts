import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { retryWhileNotVisible } from '../../../lambdas/core/eventual-consistency';
import { pollSnapshots } from '../../../lambdas/core/evidence/snapshot';
import { cutNetwork } from '../../../lambdas/core/isolation/isolate-network';
import { verifyIsolation } from '../../../lambdas/core/isolation/verify-isolation';

/**
 * "If you run a command to modify or describe the resource that you just created, its ID might not have
 * propagated throughout the system, and you will get an error responding that the resource does not
 * exist." https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 */
const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());
const noWait = { sleep: async () => undefined };

describe('Function: retryWhileNotVisible', () => {
  it('retries the named NotFound codes until the call succeeds', async () => {
    const call = jest
      .fn()
      .mockRejectedValueOnce(awsError('InvalidGroup.NotFound'))
      .mockRejectedValueOnce(awsError('InvalidGroup.NotFound'))
      .mockResolvedValue('ok');
    await expect(retryWhileNotVisible(['InvalidGroup.NotFound'], call, noWait)).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('throws any other error at once, and a NotFound that outlasts its attempts', async () => {
    const other = jest.fn().mockRejectedValue(awsError('UnauthorizedOperation'));
    await expect(retryWhileNotVisible(['InvalidGroup.NotFound'], other, noWait)).rejects.toThrow(
      'UnauthorizedOperation',
    );
    expect(other).toHaveBeenCalledTimes(1);
    const gone = jest.fn().mockRejectedValue(awsError('InvalidGroup.NotFound'));
    await expect(
      retryWhileNotVisible(['InvalidGroup.NotFound'], gone, { ...noWait, attempts: 3 }),
    ).rejects.toThrow('InvalidGroup.NotFound');
    expect(gone).toHaveBeenCalledTimes(3);
  });
});

describe('Function: cutNetwork (eventual consistency)', () => {
  it('retries an ENI or a group created by this run that answers NotFound, and completes both swaps', async () => {
    ec2
      .on(ModifyNetworkInterfaceAttributeCommand)
      .rejectsOnce(awsError('InvalidNetworkInterfaceID.NotFound'))
      .rejectsOnce(awsError('InvalidGroup.NotFound'))
      .resolves({});
    const eni = {
      eniId: 'eni-a',
      subnetId: 's',
      deviceIndex: 0,
      groupIds: ['sg-web'],
      privateIpv4: [],
      ipv6: [],
    };
    await cutNetwork(new EC2Client({ region: 'eu-west-1' }), [eni], {
      untrackedGroupId: 'sg-open',
      quarantineGroupId: 'sg-q',
      created: ['sg-open', 'sg-q'],
    });
    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, 4);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).at(-1)?.args[0].input.Groups).toEqual([
      'sg-q',
    ]);
  });
});

describe('Function: verifyIsolation (eventual consistency)', () => {
  it('re-reads a stale mismatch before recording an alarm', async () => {
    // Arrange: the first read still shows the ENI's old group; the next one shows the swap.
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a', Groups: [{ GroupId: 'sg-web' }] }] })
      .resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a', Groups: [{ GroupId: 'sg-q' }] }] });
    ec2
      .on(DescribeSecurityGroupsCommand)
      .rejectsOnce(awsError('InvalidGroup.NotFound'))
      .resolves({ SecurityGroups: [{ GroupId: 'sg-q', IpPermissions: [], IpPermissionsEgress: [] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [] });
    // Act
    const v = await verifyIsolation(
      { ec2: new EC2Client({ region: 'eu-west-1' }), iam: new IAMClient({ region: 'eu-west-1' }) },
      {
        instanceId: 'i-1',
        vpcId: 'vpc-1',
        eniIds: ['eni-a'],
        quarantineGroupId: 'sg-q',
        forensicCidrs: [],
        naclEntries: [],
      },
      noWait,
    );
    // Assert
    expect(v).toEqual({ verified: true, mismatches: [] });
  });
});

describe('Function: pollSnapshots (eventual consistency)', () => {
  it('retries InvalidSnapshot.NotFound on snapshots just created instead of failing the poll', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .rejectsOnce(awsError('InvalidSnapshot.NotFound'))
      .resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'pending' }] });
    const done = await pollSnapshots(new EC2Client({ region: 'eu-west-1' }), [
      { volumeId: 'vol-1', snapshotId: 'snap-1', sizeGiB: 8, deviceName: '/dev/xvda' },
    ]);
    expect(done).toBe(false);
    expect(ec2).toHaveReceivedCommandTimes(DescribeSnapshotsCommand, 2);
  });
});
