import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import { investigationObjects } from '../investigation/record-outcome';
import { action } from '../isolation/engine-config';
import { actorOf } from '../ledger/ledger';
import { sha256b64 } from './checksums';
import { abortOrphanedUploads } from './cleanup';
import { type EvidenceConfig, lockFor } from './config';
import { evidenceOf, loadRecord, recordEvidence } from './evidence-record';
import { ImageRecord, Manifest } from './manifest';
import { assertLockedVault, evidencePrefix } from './vault';

async function readJson(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<unknown> {
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(versionId === undefined ? {} : { VersionId: versionId }),
    }),
  );
  return JSON.parse((await res.Body?.transformToString()) ?? 'null');
}

/**
 * Writes the manifest (zod-validated, COMPLIANCE-locked, SHA-256 checked by S3) beside the images,
 * and moves the record to evidence_sealed. The chain of custody is the ledger's timeline up to sealing,
 * plus the sealing itself. Idempotent: a sealed record returns its manifest location.
 */
export async function sealManifest(
  s3: S3Client,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
): Promise<{ key: string; versionId: string; sha256: string }> {
  const record = await loadRecord(l, quarantineId);
  const ev = evidenceOf(record);
  if (record.state === 'evidence_sealed' && ev.manifest !== undefined) return ev.manifest;
  const bucket = ev.bucket ?? cfg.vaultBucket;
  await assertLockedVault(s3, bucket);
  const images = await Promise.all(
    (ev.images ?? []).map(async (i) => ImageRecord.parse(await readJson(s3, bucket, i.recordKey))),
  );
  const volumes = (ev.snapshots ?? []).map((s) => ({
    ...s,
    images: images.filter((i) => i.volumeId === s.volumeId).sort((a, b) => a.offset - b.offset),
  }));
  // Uploads of this quarantine that no recorded export owns (a planning retry left them) are dropped.
  const orphans = await abortOrphanedUploads(s3, bucket, {
    prefix: evidencePrefix(cfg.prefix, record),
    keep: new Set((ev.exports ?? []).map((e) => e.uploadId)),
  });
  const missing = volumes.find((v) => v.images.length === 0);
  if (missing !== undefined)
    throw new StepFailedError(`volume ${missing.volumeId} has no completed image`, 'seal-manifest');
  const now = new Date();
  const lock = lockFor(cfg, now);
  const sealing = action(cfg.responderActor, 'seal-manifest', 'ok', {
    images: images.length,
    abortedUploads: orphans,
  });
  const manifest = Manifest.parse({
    manifestVersion: 1,
    tool: cfg.toolVersion,
    quarantineId,
    incidentId: record.incidentId,
    reason: record.reason,
    trigger: record.trigger,
    actor: actorOf(record),
    instance: { ...record.instance, ...(record.preState.instance as Record<string, unknown> | undefined) },
    volumes,
    context: ev.contextObjects ?? [],
    investigation: investigationObjects(record),
    chainOfCustody: [...record.actions, sealing],
    sealedAt: now.toISOString(),
    retention: { mode: 'COMPLIANCE', until: lock.ObjectLockRetainUntilDate.toISOString() },
    legalHold: cfg.legalHold,
  });
  const body = Buffer.from(JSON.stringify(manifest, null, 2));
  const sha256 = sha256b64(body);
  const key = `${evidencePrefix(cfg.prefix, record)}manifest.json`;
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: sha256,
      ContentType: 'application/json',
      ...lock,
    }),
  );
  const located = { key, versionId: put.VersionId ?? '', sha256 };
  await recordEvidence(
    l,
    record,
    { manifest: located },
    {
      state: 'evidence_sealed',
      fromStates: ['evidence_pending'],
      actions: [
        {
          ...sealing,
          detail: { ...sealing.detail, ...located },
          requestIds: put.$metadata.requestId === undefined ? [] : [put.$metadata.requestId],
        },
      ],
    },
  );
  return located;
}
