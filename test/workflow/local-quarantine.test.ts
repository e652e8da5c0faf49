import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { seedVolume } from '../../local-aws/ebs-bridge/seed';
import { runLocalWorkflow } from '../../local-aws/local-workflow';
import { buildScenario } from '../../local-aws/scenario';
import { REGION } from '../support/moto';
import { claim, workflowEnv } from './workflow-env';

/**
 * The full quarantine of a two-volume instance: the deployed state machine run locally, every task bound
 * to its real handler against moto (volumes seeded through the EBS bridge), down to a sealed manifest.
 */
describe('Local workflow: full quarantine of a multi-volume instance', () => {
  it('reaches SUCCEEDED with both disks exported, the manifest sealed and on-call told twice', async () => {
    // Prepare
    const { env, evidence, vault } = await workflowEnv({ lockedVault: true });
    const s = await buildScenario(env.clients, { rootVolumeGiB: 1 });
    const inst = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const az = inst.Reservations?.[0]?.Instances?.[0]?.Placement?.AvailabilityZone ?? `${REGION}a`;
    const rootVolume = inst.Reservations?.[0]?.Instances?.[0]?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? '';
    const data = await env.clients.ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 1 }));
    await waitUntilVolumeAvailable(
      { client: env.clients.ec2, maxWaitTime: 30 },
      { VolumeIds: [data.VolumeId ?? ''] },
    );
    await env.clients.ec2.send(
      new AttachVolumeCommand({ InstanceId: s.instanceId, VolumeId: data.VolumeId, Device: '/dev/xvdf' }),
    );
    await seedVolume(env.endpoint, {
      region: REGION,
      volumeId: rootVolume,
      data: Buffer.alloc(1024 * 1024, 0xab),
    });
    await seedVolume(env.endpoint, {
      region: REGION,
      volumeId: data.VolumeId ?? '',
      data: Buffer.alloc(512 * 1024, 0xcd),
    });
    const quarantineId = await claim(env, s.instanceId);
    // Act
    const run = await runLocalWorkflow({ quarantineId });
    // Assess: nothing was refused that AWS would refuse (every task signs with its own role).
    expect(env.enforcer.denials).toEqual([]);
    expect([run.error, (await getQuarantine(env.ledger, quarantineId))?.failure]).toEqual([
      undefined,
      undefined,
    ]);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.tasks.filter((t) => t === 'notify')).toHaveLength(2);
    expect(run.tasks).not.toContain('record-failure');
    const out = run.output as { manifestKey: string };
    const rec = await getQuarantine(env.ledger, quarantineId);
    // The Parallel state drops its branches' outputs: the images are read from the ledger.
    expect((rec?.evidence as { images?: unknown[] } | undefined)?.images).toHaveLength(2);
    // The investigation ran beside it and after the seal, and recorded what it learnt.
    expect(rec?.activity?.initial?.status).toBeDefined();
    expect(rec?.activity?.late?.status).toBeDefined();
    expect(rec?.reach?.status).toBe('written');
    expect(rec?.state).toBe('evidence_sealed');
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining(['notify:isolated', 'notify:sealed']),
    );
    const head = await evidence.s3.send(
      new HeadObjectCommand({ Bucket: vault.bucket, Key: out.manifestKey }),
    );
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
  }, 300_000);
});
