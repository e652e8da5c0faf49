import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DigestFile, sha256Hex, signatureValid } from './digest-file';
import { dayFolders, regionFolders } from './layout';
import type { ActivityReport } from './report';
import type { WindowMs } from './scan';
import type { TrailSource } from './trail-source';

const gunzipAsync = promisify(gunzip);
type DigestCoverage = NonNullable<ActivityReport['coverage']['digests']>;
/** The public key CloudTrail signed with, by the fingerprint a digest names (from ListPublicKeys). */
export type PublicKeyLookup = (fingerprint: string) => KeyObject | undefined;

interface Loaded {
  readonly key: string;
  readonly digest: DigestFile;
  readonly hash: string;
  readonly signature: string | undefined;
  readonly folder: string;
  readonly inflated: Uint8Array;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T>(
  items: ReadonlyArray<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A digest's own `digestS3Object` includes the trail's prefix; source keys are relative to it. */
const samePath = (full: string, key: string) => full === key || full.endsWith(`/${key}`);

/**
 * Validates the digest chain over the window, as the custom-validation page describes: each digest's
 * RSA signature, each covered log file's SHA-256 (of its uncompressed content), and each link
 * (`previousDigestSignature` and `previousDigestHashValue` against the previous digest), and reports
 * which of the files read a valid digest vouches for. A log file a valid digest names but the bucket no
 * longer holds is a break: deletion is what the chain exists to reveal.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-cli.html
 */
export async function validateDigestChain(
  source: TrailSource,
  readKeys: ReadonlyArray<string>,
  window: WindowMs,
  publicKey: PublicKeyLookup,
  concurrency = 8,
): Promise<DigestCoverage> {
  const breaks: DigestCoverage['breaks'] = [];
  // Digests are hourly and name files delivered in the hour before: look one day past the window.
  const days = dayFolders(window, 24 * 3600 * 1000);
  const folders = await regionFolders(source, {}, 'CloudTrail-Digest');
  const keys = (
    await Promise.all(
      folders.flatMap((f) =>
        days.map(async (d) =>
          (await source.listObjects(`${f.prefix}${d}`)).map((k) => ({ k, folder: f.prefix })),
        ),
      ),
    )
  )
    .flat()
    .filter((x) => x.k.endsWith('.json.gz'));
  const loaded: Loaded[] = [];
  await pool(keys, concurrency, async ({ k, folder }) => {
    try {
      const inflated = await gunzipAsync(await source.read(k));
      const p = DigestFile.safeParse(JSON.parse(inflated.toString('utf8')));
      if (!p.success) throw new Error('not a digest file');
      // The digest must be where it says it was delivered (step 2 of validating a digest).
      if (!samePath(p.data.digestS3Object, k))
        throw new Error(`names another location: ${p.data.digestS3Object}`);
      const meta = await source.metadata(k);
      loaded.push({
        key: k,
        digest: p.data,
        hash: sha256Hex(inflated),
        signature: meta?.signature,
        folder,
        inflated,
      });
    } catch (err) {
      breaks.push({
        key: k,
        problem: `unreadable digest: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  });
  loaded.sort((a, b) => a.digest.digestEndTime.localeCompare(b.digest.digestEndTime));

  const valid: Loaded[] = [];
  for (const d of loaded) {
    const key = publicKey(d.digest.digestPublicKeyFingerprint);
    if (d.signature === undefined)
      breaks.push({ key: d.key, problem: 'no signature (x-amz-meta-signature)' });
    else if (key === undefined)
      breaks.push({ key: d.key, problem: `no public key ${d.digest.digestPublicKeyFingerprint}` });
    else if (!signatureValid(d.digest, d.inflated, d.signature, key))
      breaks.push({ key: d.key, problem: 'signature does not verify' });
    else valid.push(d);
  }
  breaks.push(...chainBreaks(loaded));

  // Log files: every file a valid digest names, whose events overlap the window, must exist and match.
  const read = new Set(readKeys);
  const covered = new Set<string>();
  const named = valid.flatMap((d) => d.digest.logFiles.map((f) => ({ f, digest: d.key })));
  await pool(named, concurrency, async ({ f, digest }) => {
    const key = relative(f.s3Object);
    if (!read.has(key) && !overlaps(f, window)) return;
    try {
      const hash = sha256Hex(await gunzipAsync(await source.read(key)));
      if (hash === f.hashValue) covered.add(key);
      else breaks.push({ key, problem: `SHA-256 differs from digest ${digest}` });
    } catch {
      breaks.push({ key, problem: `missing: named by digest ${digest}` });
    }
  });
  return {
    digests: loaded.length,
    valid: valid.length,
    coveredFiles: [...covered].sort(),
    uncoveredFiles: readKeys.filter((k) => !covered.has(k)),
    breaks: breaks.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** Links between consecutive digests of one region folder: the previous one must exist and match. */
function chainBreaks(loaded: ReadonlyArray<Loaded>): DigestCoverage['breaks'] {
  const out: DigestCoverage['breaks'] = [];
  const byPath = new Map(loaded.map((d) => [d.digest.digestS3Object, d]));
  for (const d of loaded) {
    const prevPath = d.digest.previousDigestS3Object;
    if (prevPath === undefined || prevPath === null || prevPath === '') continue;
    const prev = byPath.get(prevPath);
    if (prev === undefined) {
      // The first digest of the window points before it; a later one pointing at a gap is a deletion.
      const earlier = loaded.some(
        (o) => o.folder === d.folder && o.digest.digestEndTime < d.digest.digestEndTime,
      );
      if (earlier) out.push({ key: d.key, problem: `previous digest missing: ${prevPath}` });
      continue;
    }
    if (prev.signature !== undefined && d.digest.previousDigestSignature !== prev.signature)
      out.push({ key: d.key, problem: 'previousDigestSignature does not match the previous digest' });
    if (d.digest.previousDigestHashValue !== undefined && d.digest.previousDigestHashValue !== prev.hash)
      out.push({ key: d.key, problem: 'previousDigestHashValue does not match the previous digest' });
  }
  return out;
}

const relative = (s3Object: string) => s3Object.slice(Math.max(0, s3Object.indexOf('AWSLogs/')));

function overlaps(f: Record<string, unknown>, w: WindowMs): boolean {
  const newest = typeof f.newestEventTime === 'string' ? Date.parse(f.newestEventTime) : Number.NaN;
  const oldest = typeof f.oldestEventTime === 'string' ? Date.parse(f.oldestEventTime) : Number.NaN;
  if (Number.isNaN(newest) || Number.isNaN(oldest)) return true;
  return newest >= w.since && oldest <= w.until;
}
