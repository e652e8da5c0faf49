import {
  CreateSnapshotsCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  LockSnapshotCommand,
} from '@aws-sdk/client-ec2';
import type { LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import { NOT_YET_VISIBLE, retryWhileNotVisible } from '../eventual-consistency';
import { action } from '../isolation/engine-config';
import type { EvidenceConfig } from './config';
import { evidenceOf, loadRecord, recordEvidence, type SnapshotRef, volumesOf } from './evidence-record';

export const QUARANTINE_TAG = 'sequester:quarantine-id';

/**
 * Takes one crash-consistent snapshot set of every attached volume (CreateSnapshots), tagged with the
 * volumes' own tags plus the incident's. Idempotent: snapshots already tagged with this quarantine are
 * reused, so a retried task never doubles them.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html
 */
export async function takeSnapshots(
  ec2: EC2Client,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
): Promise<SnapshotRef[]> {
  const record = await loadRecord(l, quarantineId);
  const known = evidenceOf(record).snapshots;
  if (known !== undefined && known.length > 0) return known;
  const { instanceId } = record.instance;
  const devices = new Map(volumesOf(record).map((v) => [v.volumeId, v.deviceName]));
  const existing = await ec2.send(
    new DescribeSnapshotsCommand({ Filters: [{ Name: `tag:${QUARANTINE_TAG}`, Values: [quarantineId] }] }),
  );
  let snaps = existing.Snapshots ?? [];
  const requestIds: string[] = [];
  if (snaps.length === 0) {
    const tags = [
      { Key: QUARANTINE_TAG, Value: quarantineId },
      { Key: 'sequester:incident-id', Value: record.incidentId },
      { Key: 'sequester:instance-id', Value: instanceId },
    ];
    const res = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: instanceId, ExcludeBootVolume: false },
        Description: `Sequester evidence for incident ${record.incidentId} (${quarantineId}, ${instanceId})`,
        CopyTagsFromSource: 'volume',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags }],
      }),
    );
    snaps = res.Snapshots ?? [];
    if (res.$metadata.requestId !== undefined) requestIds.push(res.$metadata.requestId);
  }
  const refs: SnapshotRef[] = snaps.map((s) => ({
    volumeId: s.VolumeId ?? '',
    snapshotId: s.SnapshotId ?? '',
    sizeGiB: s.VolumeSize ?? 0,
    deviceName: devices.get(s.VolumeId ?? '') ?? '',
  }));
  if (refs.length === 0)
    throw new StepFailedError(`instance ${instanceId} has no volumes to snapshot`, 'snapshot');
  const locked =
    cfg.snapshotLockDays === undefined ? [] : await lockSnapshots(ec2, refs, cfg.snapshotLockDays);
  await recordEvidence(
    l,
    record,
    { bucket: cfg.vaultBucket, snapshots: refs },
    {
      state: 'evidence_pending',
      fromStates: ['isolated', 'evidence_pending', 'failed'],
      actions: [
        action(
          cfg.responderActor,
          'snapshot',
          'ok',
          { snapshots: refs, reused: requestIds.length === 0 },
          requestIds,
        ),
        ...(cfg.snapshotLockDays === undefined
          ? []
          : [action(cfg.responderActor, 'snapshot-lock', 'ok', { days: cfg.snapshotLockDays }, locked)]),
      ],
    },
  );
  return refs;
}

/**
 * EBS snapshot lock in compliance mode: nobody, root included, can delete the snapshots before the
 * lock expires. https://docs.aws.amazon.com/ebs/latest/userguide/ebs-snapshot-lock.html
 */
async function lockSnapshots(
  ec2: EC2Client,
  refs: ReadonlyArray<SnapshotRef>,
  days: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (const r of refs) {
    // Just created: InvalidSnapshot.NotFound means "not visible yet" (lambdas/core/eventual-consistency.ts).
    const res = await retryWhileNotVisible([NOT_YET_VISIBLE.snapshot], () =>
      ec2.send(
        new LockSnapshotCommand({ SnapshotId: r.snapshotId, LockMode: 'compliance', LockDuration: days }),
      ),
    );
    if (res.$metadata.requestId !== undefined) ids.push(res.$metadata.requestId);
  }
  return ids;
}

/**
 * One poll of the snapshots' progress: the workflow waits and calls again until all are completed
 * (pending snapshots can take hours, and the EBS direct APIs refuse them). An `error` snapshot fails.
 */
export async function pollSnapshots(ec2: EC2Client, refs: ReadonlyArray<SnapshotRef>): Promise<boolean> {
  // The first poll can follow CreateSnapshots at once: NotFound there means "not visible yet".
  const res = await retryWhileNotVisible([NOT_YET_VISIBLE.snapshot], () =>
    ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: refs.map((r) => r.snapshotId) })),
  );
  const states = res.Snapshots ?? [];
  const failed = states.find((s) => s.State === 'error');
  if (failed !== undefined) {
    throw new StepFailedError(
      `snapshot ${failed.SnapshotId} failed: ${failed.StateMessage ?? 'error'}`,
      'poll-snapshots',
    );
  }
  return states.length === refs.length && states.every((s) => s.State === 'completed');
}
