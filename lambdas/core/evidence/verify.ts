import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { awsErrorName } from '../errors';
import { action } from '../isolation/engine-config';
import { updateQuarantine } from '../ledger/ledger';
import { compositeSha256, parseComposite } from './checksums';
import { mapLimit } from './concurrency';
import { MIB } from './config';
import { type ImageRecord, Manifest } from './manifest';

export interface ObjectReport {
  readonly key: string;
  readonly versionId?: string;
  readonly ok: boolean;
  readonly retention?: { readonly mode?: string; readonly until?: string };
  readonly legalHold?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: Manifest;
  readonly objects: ReadonlyArray<ObjectReport>;
  /** One line per problem, naming the object and the part. */
  readonly problems: ReadonlyArray<string>;
}

async function hashBody(
  body: AsyncIterable<Uint8Array> | undefined,
): Promise<{ digest: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body ?? []) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { digest: h.digest('base64'), bytes };
}

async function verifyImage(
  s3: S3Client,
  bucket: string,
  img: ImageRecord,
  concurrency: number,
  rangeBytes: number,
  problems: string[],
) {
  const at = `${img.key} (version ${img.versionId})`;
  const before = problems.length;
  let head: HeadObjectCommandOutput;
  try {
    head = await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: img.key,
        VersionId: img.versionId,
        ChecksumMode: 'ENABLED',
      }),
    );
  } catch (err) {
    problems.push(`${at}: missing from the vault (${awsErrorName(err) ?? String(err)})`);
    return { key: img.key, versionId: img.versionId, ok: false };
  }
  if (head.ContentLength !== img.length)
    problems.push(`${at}: size ${head.ContentLength}, manifest says ${img.length}`);
  // S3's composite is the SHA-256 of its stored part digests: matching it, with every part re-hashed
  // to the manifest's digest below, checks S3's per-part checksums too.
  if (compositeSha256(img.partSha256) !== img.compositeSha256)
    problems.push(`${at}: manifest composite does not match its part list`);
  const stored = head.ChecksumSHA256 === undefined ? undefined : parseComposite(head.ChecksumSHA256);
  const expected = parseComposite(img.compositeSha256);
  if (stored === undefined) problems.push(`${at}: S3 reports no SHA-256 checksum`);
  else if (
    stored.digest !== expected.digest ||
    (stored.parts !== undefined && stored.parts !== expected.parts)
  ) {
    problems.push(`${at}: S3 composite SHA-256 ${head.ChecksumSHA256}, manifest says ${img.compositeSha256}`);
  }
  // Parallel ranged reads of whole parts; each range is streamed and hashed part by part as it passes.
  const perRange = Math.max(1, Math.floor(rangeBytes / img.partSize));
  const ranges = Array.from({ length: Math.ceil(img.partCount / perRange) }, (_, i) => i * perRange + 1);
  await mapLimit(ranges, concurrency, async (first) => {
    const last = Math.min(img.partCount, first + perRange - 1);
    const start = (first - 1) * img.partSize;
    const end = Math.min(img.length, last * img.partSize) - 1;
    const res = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: img.key,
        VersionId: img.versionId,
        Range: `bytes=${start}-${end}`,
      }),
    );
    let n = first;
    let h = createHash('sha256');
    let left = Math.min(img.partSize, img.length - start);
    const close = () => {
      const digest = h.digest('base64');
      const want = img.partSha256[n - 1];
      if (digest !== want) problems.push(`${at}: part ${n} has SHA-256 ${digest}, manifest says ${want}`);
      n += 1;
      h = createHash('sha256');
      left = Math.min(img.partSize, img.length - (n - 1) * img.partSize);
    };
    for await (const chunk of (res.Body as AsyncIterable<Uint8Array> | undefined) ?? []) {
      for (let off = 0; off < chunk.length; ) {
        const take = Math.min(left, chunk.length - off);
        h.update(chunk.subarray(off, off + take));
        off += take;
        left -= take;
        if (left === 0) close();
      }
    }
    if (n <= last) problems.push(`${at}: part ${n} is truncated in the vault`);
  });
  return {
    key: img.key,
    versionId: img.versionId,
    ok: problems.length === before,
    retention: {
      ...(head.ObjectLockMode === undefined ? {} : { mode: head.ObjectLockMode }),
      ...(head.ObjectLockRetainUntilDate === undefined
        ? {}
        : { until: head.ObjectLockRetainUntilDate.toISOString() }),
    },
    ...(head.ObjectLockLegalHoldStatus === undefined ? {} : { legalHold: head.ObjectLockLegalHoldStatus }),
  };
}

/**
 * Re-reads every image of a manifest from the vault (parts in parallel, streamed) and checks each part's
 * SHA-256 and the composite against the manifest and against S3's stored checksums; checks context
 * objects; reports retention and legal hold as HeadObject shows them.
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
  for (const v of manifest.volumes) {
    for (const img of v.images)
      objects.push(
        await verifyImage(s3, bucket, img, o.concurrency ?? 8, o.rangeBytes ?? 64 * MIB, problems),
      );
  }
  for (const c of manifest.context) {
    if (c.status !== 'captured' || c.key === undefined) continue;
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
      problems.push(`${c.key}: missing from the vault (${awsErrorName(err) ?? String(err)})`);
    }
    objects.push({
      key: c.key,
      ...(c.versionId === undefined ? {} : { versionId: c.versionId }),
      ok: problems.length === before,
    });
  }
  return { ok: problems.length === 0, manifest, objects, problems };
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
