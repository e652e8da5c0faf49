import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { awsErrorName } from '../errors';
import { action } from '../isolation/engine-config';
import { updateQuarantine } from '../ledger/ledger';
import { type ArchivedObject, archivedClassOf, archivedLine } from './archive-state';
import { MIB } from './config';
import { Manifest } from './manifest';
import { hashBody, type ObjectReport, verifyImage } from './verify-image';

export type { ObjectReport };

export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: Manifest;
  readonly objects: ReadonlyArray<ObjectReport>;
  /** One line per problem, naming the object and the part. */
  readonly problems: ReadonlyArray<string>;
  /** Objects that must be restored from an archive storage class before they can be verified. */
  readonly archived: ReadonlyArray<ArchivedObject>;
}

/**
 * Re-reads every image of a manifest from the vault (parts in parallel, streamed) and checks each part's
 * SHA-256 and the composite against the manifest and against S3's stored checksums; checks context
 * and investigation objects; reports retention and legal hold as HeadObject shows them. Objects in an archive storage
 * class are reported as archived (restore first), not read: GetObject refuses them with
 * InvalidObjectState. https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export async function verifyEvidence(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
  o: {
    readonly versionId?: string;
    readonly concurrency?: number;
    /** Bytes per ranged GET (whole parts, at least one). */
    readonly rangeBytes?: number;
  } = {},
): Promise<VerifyReport> {
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: manifestKey,
      ...(o.versionId === undefined ? {} : { VersionId: o.versionId }),
    }),
  );
  const manifest = Manifest.parse(JSON.parse((await res.Body?.transformToString()) ?? 'null'));
  const problems: string[] = [];
  const objects: ObjectReport[] = [];
  const archived: ArchivedObject[] = [];
  for (const v of manifest.volumes) {
    for (const img of v.images) {
      const r = await verifyImage(s3, bucket, img, o.concurrency ?? 8, o.rangeBytes ?? 64 * MIB, problems);
      if (r.archived !== undefined)
        archived.push({ key: img.key, versionId: img.versionId, storageClass: r.archived });
      objects.push(r);
    }
  }
  // Context objects and the investigation's objects (activity, reach...) are checked the same way.
  const hashed = [
    ...manifest.context.filter((c) => c.status === 'captured'),
    ...(manifest.investigation ?? []),
  ];
  for (const c of hashed) {
    if (c.key === undefined) continue;
    const before = problems.length;
    try {
      const got = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: c.key,
          ...(c.versionId === undefined ? {} : { VersionId: c.versionId }),
        }),
      );
      const h = await hashBody(got.Body as AsyncIterable<Uint8Array> | undefined);
      if (h.digest !== c.sha256) problems.push(`${c.key}: SHA-256 ${h.digest}, manifest says ${c.sha256}`);
    } catch (err) {
      const storageClass = archivedClassOf(err);
      if (storageClass === undefined)
        problems.push(`${c.key}: missing from the vault (${awsErrorName(err) ?? String(err)})`);
      else {
        const a = {
          key: c.key,
          ...(c.versionId === undefined ? {} : { versionId: c.versionId }),
          storageClass,
        };
        archived.push(a);
        problems.push(archivedLine(a));
      }
    }
    objects.push({
      key: c.key,
      ...(c.versionId === undefined ? {} : { versionId: c.versionId }),
      ok: problems.length === before,
    });
  }
  return { ok: problems.length === 0, manifest, objects, problems, archived };
}

/** Appends a verification to the quarantine's chain of custody (who verified what, and the outcome). */
export async function recordVerification(
  l: LedgerClients,
  quarantineId: string,
  report: VerifyReport,
  actor: string,
): Promise<void> {
  await updateQuarantine(l, quarantineId, {
    actions: [
      action(actor, 'verify-evidence', report.ok ? 'ok' : 'failed', {
        objects: report.objects.length,
        problems: report.problems.slice(0, 20),
      }),
    ],
  });
}
