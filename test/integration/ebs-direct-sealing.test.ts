import { createHash } from 'node:crypto';
import {
  CompleteSnapshotCommand,
  EBSClient,
  PutSnapshotBlockCommand,
  StartSnapshotCommand,
} from '@aws-sdk/client-ebs';
import { CreateVolumeCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { freshMoto, REGION } from '../support/moto';

const BLOCK = 512 * 1024;

/**
 * The local AWS seals a snapshot written with the EBS direct APIs as AWS does: CompleteSnapshot only
 * starts sealing, the snapshot stays `pending` a moment, and a volume cannot be created from a pending
 * snapshot (local-aws/moto-patches/ebs_direct_pending.py). `sequester evidence restore` waits for it.
 * https://docs.aws.amazon.com/ebs/latest/userguide/writesnapshots.html
 */
describe('local AWS: a snapshot written with the EBS direct APIs', () => {
  let ebs: EBSClient;
  let ec2: EC2Client;

  beforeAll(async () => {
    const env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS };
    ebs = new EBSClient(opts);
    ec2 = new EC2Client(opts);
  });

  async function writtenSnapshot(): Promise<string> {
    const id = (await ebs.send(new StartSnapshotCommand({ VolumeSize: 1, Timeout: 60 })))
      .SnapshotId as string;
    const data = Buffer.alloc(BLOCK, 7);
    await ebs.send(
      new PutSnapshotBlockCommand({
        SnapshotId: id,
        BlockIndex: 0,
        BlockData: data,
        DataLength: BLOCK,
        Checksum: createHash('sha256').update(data).digest('base64'),
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    return id;
  }

  const status = async (id: string) =>
    (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots?.[0]?.State;

  it('is pending while written and right after CompleteSnapshot, and refuses CreateVolume then', async () => {
    const id = await writtenSnapshot();
    expect(await status(id)).toBe('pending');
    const done = await ebs.send(new CompleteSnapshotCommand({ SnapshotId: id, ChangedBlocksCount: 1 }));
    expect(done.Status).toBe('pending');
    await expect(
      ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, SnapshotId: id })),
    ).rejects.toMatchObject({ name: 'IncorrectState' });
  });

  it('is completed a moment after CompleteSnapshot, and a volume can then be created from it', async () => {
    const id = await writtenSnapshot();
    await ebs.send(new CompleteSnapshotCommand({ SnapshotId: id, ChangedBlocksCount: 1 }));
    await new Promise((r) => setTimeout(r, 700));
    expect(await status(id)).toBe('completed');
    const volume = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, SnapshotId: id }),
    );
    expect(volume.VolumeId).toMatch(/^vol-/);
  });
});
