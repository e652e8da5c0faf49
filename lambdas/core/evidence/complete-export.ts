import { type EBSClient, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import {
  HeadObjectCommand,
  ListPartsCommand,
  type Part,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import type { KeyResolvers } from '../investigation/secrets/resolve-keys';
import { action } from '../isolation/engine-config';
import { compositeSha256, sha256b64 } from './checksums';
import { completeUpload } from './complete-upload';
import { mapLimit, Semaphore } from './concurrency';
import { BLOCK_SIZE, type EvidenceConfig, lockFor } from './config';
import { type ExportRef, evidenceOf, loadRecord, recordEvidence } from './evidence-record';
import { imageSecrets } from './image-secrets';
import { ImageRecord } from './manifest';
import { partRange } from './part-plan';

/** Every part 1..N of the upload, checked for presence, size and an S3-reported SHA-256. */
export async function listAllParts(s3: S3Client, bucket: string, e: ExportRef): Promise<Part[]> {
  const parts: Part[] = [];
  // Paged by hand on IsTruncated: the SDK paginator keys on NextPartNumberMarker alone.
  for (let marker: string | undefined; ; ) {
    const page = await s3.send(
      new ListPartsCommand({
        Bucket: bucket,
        Key: e.key,
        UploadId: e.uploadId,
        ...(marker === undefined ? {} : { PartNumberMarker: marker }),
      }),
    );
    parts.push(...(page.Parts ?? []));
    if (page.IsTruncated !== true || page.NextPartNumberMarker === undefined) break;
    marker = page.NextPartNumberMarker;
  }
  parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  for (let n = 1; n <= e.partCount; n += 1) {
    const p = parts[n - 1];
    const where = `part ${n} of ${e.key}`;
    if (p?.PartNumber !== n)
      throw new StepFailedError(`${where} is missing: re-run its segment`, 'complete-export');
    if (p.Size !== partRange(e, n).size)
      throw new StepFailedError(`${where} has size ${p.Size}`, 'complete-export');
    if (p.ChecksumSHA256 === undefined)
      throw new StepFailedError(`${where} has no SHA-256 in S3`, 'complete-export');
  }
  if (parts.length !== e.partCount) throw new StepFailedError(`${e.key} has extra parts`, 'complete-export');
  return parts;
}

/**
 * Written blocks of the object's range (ListSnapshotBlocks lists only written blocks, in order). A page
 * may hold fewer blocks than asked, or none, while more follow: only a missing NextToken (the paginator
 * then stops) or a block at or past the range's end ends the count.
 * https://docs.aws.amazon.com/ebs/latest/APIReference/API_ListSnapshotBlocks.html
 */
async function countWritten(ebs: EBSClient, e: ExportRef): Promise<number> {
  const first = e.offset / BLOCK_SIZE;
  const end = Math.ceil((e.offset + e.length) / BLOCK_SIZE);
  let n = 0;
  for await (const page of paginateListSnapshotBlocks(
    { client: ebs, pageSize: 10_000 },
    { SnapshotId: e.snapshotId, StartingBlockIndex: first },
  )) {
    for (const b of page.Blocks ?? [])
      if ((b.BlockIndex ?? -1) >= first && (b.BlockIndex ?? -1) < end) n += 1;
    const last = page.Blocks?.at(-1)?.BlockIndex;
    if (last !== undefined && last >= end) break;
  }
  return n;
}

/**
 * Images completed at once. A split image of a multi-TiB volume has dozens of pieces, each needing its
 * ListParts pages and a ListSnapshotBlocks pass over its range (64 pages for a fully written 312.5 GiB
 * piece); one at a time, a 16 TiB volume would outlast the task's timeout.
 */
export const COMPLETE_CONCURRENCY = 4;

/**
 * Completes every image upload from ListParts (the workers' results need not flow through the
 * workflow), checks S3's composite SHA-256 against the one computed from the parts, checks the object
 * carries COMPLIANCE retention, and stores a locked image record (per-part SHA-256) beside the image.
 * Idempotent: images already recorded in the ledger are skipped, and each image is recorded as soon as
 * it is done (one ledger write at a time, so concurrent completions never overwrite each other).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
export async function completeExport(
  c: { readonly s3: S3Client; readonly ebs: EBSClient },
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
  resolvers?: KeyResolvers,
): Promise<ImageRecord[]> {
  const record = await loadRecord(l, quarantineId);
  const ev = evidenceOf(record);
  const bucket = ev.bucket ?? cfg.vaultBucket;
  const done = new Set((ev.images ?? []).map((i) => i.key));
  const ledgerWrites = new Semaphore(1);
  const pending = (ev.exports ?? []).filter((e) => !done.has(e.key));
  return mapLimit(pending, COMPLETE_CONCURRENCY, async (e) => {
    const { versionId, digests, requestId } = await completeUpload(c.s3, bucket, e, quarantineId, () =>
      listAllParts(c.s3, bucket, e),
    );
    const composite = compositeSha256(digests);
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: e.key, VersionId: versionId }));
    if (head.ObjectLockMode !== 'COMPLIANCE' || head.ObjectLockRetainUntilDate === undefined) {
      throw new StepFailedError(
        `${e.key} version ${versionId} is not under COMPLIANCE retention`,
        'complete-export',
      );
    }
    const secrets = await imageSecrets(c.s3, bucket, e, cfg.segmentParts, resolvers);
    const image = ImageRecord.parse({
      key: e.key,
      versionId,
      volumeId: e.volumeId,
      snapshotId: e.snapshotId,
      offset: e.offset,
      length: e.length,
      partSize: e.partSize,
      partCount: e.partCount,
      writtenBlocks: await countWritten(c.ebs, e),
      partSha256: digests,
      compositeSha256: composite,
      exportStartedAt: ev.exportStartedAt ?? record.updatedAt,
      completedAt: new Date().toISOString(),
      retention: { mode: head.ObjectLockMode, until: head.ObjectLockRetainUntilDate.toISOString() },
      legalHold: head.ObjectLockLegalHoldStatus === 'ON',
      ...secrets,
    });
    const body = Buffer.from(JSON.stringify(image, null, 2));
    const recordKey = `${e.key}.parts.json`;
    const put = await c.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: recordKey,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256b64(body),
        ContentType: 'application/json',
        ...lockFor(cfg),
      }),
    );
    await ledgerWrites.use(async () => {
      const current = await loadRecord(l, quarantineId);
      const known = evidenceOf(current).images ?? [];
      // Another run (a retry racing this one) may have recorded this image meanwhile: record it once.
      if (known.some((i) => i.key === e.key)) return;
      const images = [...known, { key: e.key, versionId, recordKey }];
      await recordEvidence(
        l,
        current,
        { images },
        {
          actions: [
            action(
              cfg.responderActor,
              'export-finished',
              'ok',
              {
                key: e.key,
                versionId,
                compositeSha256: composite,
                partCount: e.partCount,
                secretsFound: secrets.secrets.length + secrets.secretsDropped,
              },
              [requestId ?? '', put.$metadata.requestId ?? ''].filter(Boolean),
            ),
          ],
        },
      );
    });
    return image;
  });
}
