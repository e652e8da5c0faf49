import { CompleteSnapshotCommand, PutSnapshotBlockCommand, StartSnapshotCommand } from '@aws-sdk/client-ebs';
import { CreateVolumeCommand, waitUntilSnapshotCompleted } from '@aws-sdk/client-ec2';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { EvidenceClients } from '../../lambdas/core/clients';
import { sha256b64, zeroSha256b64 } from '../../lambdas/core/evidence/checksums';
import { mapLimit } from '../../lambdas/core/evidence/concurrency';
import { BLOCK_SIZE } from '../../lambdas/core/evidence/config';
import { CheckFailedError } from '../errors';
import type { ByteProgress } from './byte-progress';
import type { LocatedManifest } from './locate';

export interface RestoredVolume {
  readonly sourceVolumeId: string;
  readonly snapshotId: string;
  readonly volumeId?: string;
  readonly blocksWritten: number;
}

const ZERO_BLOCK = Buffer.alloc(BLOCK_SIZE);
/** How long a restored snapshot may take to seal before restore gives up (its blocks stay in the vault). */
const SEAL_WAIT_SECONDS = 3600;

/**
 * Writes each evidence image back into a new EBS snapshot with the EBS direct APIs (StartSnapshot,
 * PutSnapshotBlock for non-zero 512 KiB blocks only, CompleteSnapshot), tagged as a forensic copy, waits
 * until it is sealed, then creates a volume from it in `az` for an analysis instance. Parts the manifest records as all zeros
 * are never read; every part read is checked against the manifest before any of it is written.
 * https://docs.aws.amazon.com/ebs/latest/userguide/writesnapshots.html
 */
export async function restoreEvidence(
  c: EvidenceClients,
  bucket: string,
  located: LocatedManifest,
  o: { az: string; concurrency: number },
  progress: ByteProgress,
): Promise<RestoredVolume[]> {
  const m = located.manifest;
  const out: RestoredVolume[] = [];
  for (const v of m.volumes) {
    const tags = [
      { Key: 'Name', Value: `forensic-copy-${v.volumeId}` },
      { Key: 'sequester:forensic-copy-of', Value: v.snapshotId },
      { Key: 'sequester:incident-id', Value: m.incidentId },
      { Key: 'sequester:quarantine-id', Value: m.quarantineId },
    ];
    const started = await c.ebs.send(
      new StartSnapshotCommand({
        VolumeSize: v.sizeGiB,
        Description: `Forensic copy of ${v.volumeId} (${m.incidentId}, ${m.quarantineId}), restored from the evidence vault`,
        Tags: tags,
        ClientToken: `${m.quarantineId}-${v.volumeId}`.slice(0, 64),
        Timeout: 60,
      }),
    );
    const snapshotId = started.SnapshotId ?? '';
    let blocks = 0;
    for (const img of v.images) {
      const parts = img.partSha256.map((sha, i) => ({ n: i + 1, sha }));
      await mapLimit(parts, o.concurrency, async ({ n, sha }) => {
        const start = (n - 1) * img.partSize;
        const end = Math.min(start + img.partSize, img.length) - 1;
        if (sha === zeroSha256b64(end - start + 1)) {
          progress.add(end - start + 1, 1);
          return;
        }
        const res = await c.s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: img.key,
            VersionId: img.versionId,
            Range: `bytes=${start}-${end}`,
          }),
        );
        const data = Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
        if (sha256b64(data) !== sha)
          throw new CheckFailedError(`${img.key} part ${n} does not match the manifest: not restored`);
        for (let at = 0; at < data.length; at += BLOCK_SIZE) {
          const block = Buffer.alloc(BLOCK_SIZE);
          data.copy(block, 0, at, Math.min(at + BLOCK_SIZE, data.length));
          if (block.equals(ZERO_BLOCK)) continue;
          await c.ebs.send(
            new PutSnapshotBlockCommand({
              SnapshotId: snapshotId,
              BlockIndex: (img.offset + start + at) / BLOCK_SIZE,
              BlockData: block,
              DataLength: BLOCK_SIZE,
              Checksum: sha256b64(block),
              ChecksumAlgorithm: 'SHA256',
            }),
          );
          blocks += 1;
        }
        progress.add(data.length, 1);
      });
    }
    await c.ebs.send(new CompleteSnapshotCommand({ SnapshotId: snapshotId, ChangedBlocksCount: blocks }));
    // CompleteSnapshot only starts sealing: the snapshot stays `pending` for a while, and a volume can be
    // created only from a completed one, so wait (DescribeSnapshots) before CreateVolume.
    // https://docs.aws.amazon.com/ebs/latest/userguide/writesnapshots.html
    // https://docs.aws.amazon.com/ebs/latest/APIReference/API_CompleteSnapshot.html
    await waitUntilSnapshotCompleted(
      { client: c.ec2, maxWaitTime: SEAL_WAIT_SECONDS, minDelay: 1, maxDelay: 30 },
      { SnapshotIds: [snapshotId] },
    );
    const volume = await c.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: o.az,
        SnapshotId: snapshotId,
        TagSpecifications: [{ ResourceType: 'volume', Tags: tags }],
      }),
    );
    out.push({
      sourceVolumeId: v.volumeId,
      snapshotId,
      blocksWritten: blocks,
      ...(volume.VolumeId === undefined ? {} : { volumeId: volume.VolumeId }),
    });
  }
  return out;
}
