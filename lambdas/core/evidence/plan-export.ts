import { CreateMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { action } from '../isolation/engine-config';
import { type EvidenceConfig, GIB, lockFor } from './config';
import {
  type ExportRef,
  evidenceOf,
  loadRecord,
  recordEvidence,
  type Segment,
  type SegmentRef,
  type SnapshotRef,
} from './evidence-record';
import { planObjects, planSegments } from './part-plan';
import { assertLockedVault, ensureZeroObject, evidencePrefix } from './vault';

export interface ExportPlan {
  readonly exports: ExportRef[];
  readonly segments: (Segment & SegmentRef)[];
}

/**
 * At most about this many segments per quarantine. Each is one item of the workflow's inline Map: its
 * reference travels in the state (256 KiB at most) and its run adds about 7 events to the execution
 * history (25,000 at most). https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const MAX_SEGMENTS = 1000;

/** Parts per segment: the configured size, grown when the uploads would need more than MAX_SEGMENTS. */
export function segmentPartsFor(exports: ReadonlyArray<{ partCount: number }>, segmentParts: number): number {
  const parts = exports.reduce((n, e) => n + e.partCount, 0);
  return Math.max(segmentParts, Math.ceil(parts / MAX_SEGMENTS));
}

/** Image key of one volume; a split image (volumes over 312.5 GiB) numbers its pieces .001, .002... */
export function imageKey(base: string, volumeId: string, index: number, pieces: number): string {
  return pieces === 1
    ? `${base}disks/${volumeId}.raw`
    : `${base}disks/${volumeId}.raw.${String(index + 1).padStart(3, '0')}`;
}

/**
 * Opens one multipart upload per image object, with SHA-256 checksums (S3 then verifies every part and
 * keeps its digest) and the Object Lock COMPLIANCE retention applied on completion, and splits the
 * parts into segments for independent workers. Idempotent: uploads already recorded are reused.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 */
export async function planExport(
  s3: S3Client,
  l: LedgerClients,
  quarantineId: string,
  snapshots: ReadonlyArray<SnapshotRef>,
  cfg: EvidenceConfig,
): Promise<ExportPlan> {
  const record = await loadRecord(l, quarantineId);
  const known = evidenceOf(record).exports;
  let exports: ExportRef[];
  if (known !== undefined && known.length > 0) {
    exports = known;
  } else {
    await assertLockedVault(s3, cfg.vaultBucket);
    const base = evidencePrefix(cfg.prefix, record);
    const lock = lockFor(cfg);
    exports = [];
    const requestIds: string[] = [];
    for (const snap of snapshots) {
      const objects = planObjects(snap.sizeGiB * GIB);
      const zero = await ensureZeroObject(s3, cfg.vaultBucket, objects[0]?.partSize ?? 0);
      for (const o of objects) {
        const key = imageKey(base, snap.volumeId, o.index, objects.length);
        const up = await s3.send(
          new CreateMultipartUploadCommand({
            Bucket: cfg.vaultBucket,
            Key: key,
            ChecksumAlgorithm: 'SHA256',
            ContentType: 'application/octet-stream',
            Metadata: {
              'snapshot-id': snap.snapshotId,
              'volume-id': snap.volumeId,
              'quarantine-id': quarantineId,
            },
            ...lock,
          }),
        );
        if (up.$metadata.requestId !== undefined) requestIds.push(up.$metadata.requestId);
        exports.push({
          volumeId: snap.volumeId,
          snapshotId: snap.snapshotId,
          key,
          uploadId: up.UploadId ?? '',
          partSize: o.partSize,
          partCount: o.partCount,
          offset: o.offset,
          length: o.length,
          zeroKey: zero,
        });
      }
    }
    await recordEvidence(
      l,
      record,
      { bucket: cfg.vaultBucket, exports, exportStartedAt: new Date().toISOString() },
      {
        actions: [
          action(
            cfg.responderActor,
            'export-started',
            'ok',
            { images: exports.map((e) => ({ key: e.key, partSize: e.partSize, partCount: e.partCount })) },
            requestIds,
          ),
        ],
      },
    );
  }
  const perSegment = segmentPartsFor(exports, cfg.segmentParts);
  const segments = exports.flatMap((e, image) =>
    planSegments(e.partCount, perSegment).map((r) => ({ ...e, ...r, image })),
  );
  return { exports, segments };
}
