import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { renderTable } from '../table';
import { listManifests, type VaultLocation } from './locate';

/**
 * What `evidence list` shows: every sealed manifest with, per volume, the retention and legal hold S3
 * reports now (HeadObject of the image version), not what the manifest said at sealing: a legal hold
 * placed later must show.
 */
export async function evidenceInventory(s3: S3Client, v: VaultLocation, incident?: string) {
  const found = await listManifests(s3, v, incident);
  return Promise.all(
    found.map(async ({ key, manifest: m }) => ({
      incidentId: m.incidentId,
      instanceId: String(m.instance.instanceId),
      quarantineId: m.quarantineId,
      manifestKey: key,
      sealedAt: m.sealedAt,
      volumes: await Promise.all(
        m.volumes.map(async (vol) => {
          const img = vol.images[0];
          const head =
            img === undefined
              ? undefined
              : await s3.send(
                  new HeadObjectCommand({ Bucket: v.bucket, Key: img.key, VersionId: img.versionId }),
                );
          return {
            volumeId: vol.volumeId,
            sizeGiB: vol.sizeGiB,
            images: vol.images.length,
            retainUntil: head?.ObjectLockRetainUntilDate?.toISOString() ?? null,
            retentionMode: head?.ObjectLockMode ?? null,
            legalHold: head?.ObjectLockLegalHoldStatus === 'ON',
          };
        }),
      ),
    })),
  );
}

export function renderInventory(items: Awaited<ReturnType<typeof evidenceInventory>>): string {
  const rows = items.flatMap((i) =>
    i.volumes.map((vol) => ({
      incident: i.incidentId,
      instance: i.instanceId,
      quarantine: i.quarantineId,
      volume: vol.volumeId,
      size: `${vol.sizeGiB} GiB`,
      'retain until': `${vol.retentionMode ?? 'none'} ${vol.retainUntil ?? ''}`.trim(),
      'legal hold': vol.legalHold ? 'ON' : 'off',
    })),
  );
  return renderTable(rows, [
    'incident',
    'instance',
    'quarantine',
    'volume',
    'size',
    'retain until',
    'legal hold',
  ]);
}
