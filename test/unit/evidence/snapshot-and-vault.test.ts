import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateSnapshotsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  LockSnapshotCommand,
} from '@aws-sdk/client-ec2';
import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../lambdas/core/evidence/config';
import { pollSnapshots, takeSnapshots } from '../../../lambdas/core/evidence/snapshot';
import { assertLockedVault } from '../../../lambdas/core/evidence/vault';

const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evidence/record.json'), 'utf8'));
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const ledger = { ddb: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 't' };
const snap = {
  volumeId: 'vol-0a1b2c3d4e5f60718',
  snapshotId: 'snap-0a1b2c3d4e5f60718',
  sizeGiB: 1,
  deviceName: '/dev/xvda',
};

afterEach(() => {
  ec2.reset();
  s3.reset();
  ddb.reset();
});

describe('Function: takeSnapshots', () => {
  beforeEach(() => {
    const fresh = structuredClone(record);
    fresh.state = 'isolated';
    delete fresh.evidence;
    ddb.on(GetCommand).resolves({ Item: fresh });
    ddb.on(UpdateCommand).resolves({});
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    ec2.on(CreateSnapshotsCommand).resolves({
      Snapshots: [{ SnapshotId: snap.snapshotId, VolumeId: snap.volumeId, VolumeSize: 1 }],
      $metadata: { requestId: 'req-1' },
    });
    ec2.on(LockSnapshotCommand).resolves({ $metadata: { requestId: 'req-2' } });
  });

  // moto 5.2.1 ignores CopyTagsFromSource and has no LockSnapshot; both are AWS behaviours:
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LockSnapshot.html
  it('takes one crash-consistent set copying volume tags, and locks it in compliance mode when configured', async () => {
    const refs = await takeSnapshots(new EC2Client({}), ledger, record.quarantineId, {
      ...DEFAULT_EVIDENCE_CONFIG,
      vaultBucket: 'vault',
      snapshotLockDays: 30,
    });
    expect(refs).toEqual([snap]);
    expect(ec2).toHaveReceivedCommandWith(CreateSnapshotsCommand, {
      InstanceSpecification: { InstanceId: record.instance.instanceId, ExcludeBootVolume: false },
      CopyTagsFromSource: 'volume',
    });
    expect(ec2).toHaveReceivedCommandWith(LockSnapshotCommand, {
      SnapshotId: snap.snapshotId,
      LockMode: 'compliance',
      LockDuration: 30,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: expect.stringContaining('#state IN'),
    });
  });

  it('reuses snapshots already tagged with the quarantine instead of taking new ones', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolves({ Snapshots: [{ SnapshotId: snap.snapshotId, VolumeId: snap.volumeId, VolumeSize: 1 }] });
    await takeSnapshots(new EC2Client({}), ledger, record.quarantineId, {
      ...DEFAULT_EVIDENCE_CONFIG,
      vaultBucket: 'vault',
    });
    expect(ec2).not.toHaveReceivedCommand(CreateSnapshotsCommand);
  });
});

describe('Function: pollSnapshots', () => {
  it('reports pending snapshots as not completed', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolves({ Snapshots: [{ SnapshotId: snap.snapshotId, State: 'pending' }] });
    expect(await pollSnapshots(new EC2Client({}), [snap])).toBe(false);
  });

  it('fails on a snapshot in error state', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolves({ Snapshots: [{ SnapshotId: snap.snapshotId, State: 'error', StateMessage: 'boom' }] });
    await expect(pollSnapshots(new EC2Client({}), [snap])).rejects.toThrow(/failed: boom/);
  });
});

describe('Function: assertLockedVault', () => {
  it('refuses a bucket without Object Lock', async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(
      Object.assign(new Error('none'), { name: 'ObjectLockConfigurationNotFoundError' }),
    );
    await expect(assertLockedVault(new S3Client({}), 'plain')).rejects.toThrow(
      /does not have S3 Object Lock enabled/,
    );
  });
});
