import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DigestFile } from '../../../lambdas/core/investigation/activity/digest-file';
import { ACCOUNT } from './trail-fixtures';

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export const BUCKET = 'org-trail-bucket';
export const FINGERPRINT = '31e8b5433410dfb61a9dc45cc65b22ff';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const PUBLIC_KEY: KeyObject = keys.publicKey;

/** The key of a digest file ending at `end` (ISO, whole seconds) in `region`. */
export function digestKey(region: string, end: string): string {
  const [y, m, d] = end.slice(0, 10).split('-');
  const ts = end.replace(/[-:]/g, '');
  return `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${region}/${y}/${m}/${d}/${ACCOUNT}_CloudTrail-Digest_${region}_trail_${region}_${ts}.json.gz`;
}

export interface SignedDigest {
  readonly key: string;
  readonly signature: string;
  readonly hash: string;
}

/**
 * Writes a digest covering `logs` (key -> records) into `root` and signs it as CloudTrail does: SHA256withRSA
 * over `endTime \n bucket/object \n sha256(digest) \n previous signature`, the hex signature in the
 * object's metadata (here the `.metadata.json` sidecar a local copy keeps).
 */
export function writeDigest(
  root: string,
  region: string,
  end: string,
  logs: Record<string, ReadonlyArray<unknown>>,
  previous: SignedDigest | undefined,
): SignedDigest {
  const key = digestKey(region, end);
  const digest: DigestFile = {
    awsAccountId: ACCOUNT,
    digestStartTime: new Date(Date.parse(end) - 3600_000).toISOString().replace('.000', ''),
    digestEndTime: end,
    digestS3Bucket: BUCKET,
    digestS3Object: key,
    digestPublicKeyFingerprint: FINGERPRINT,
    digestSignatureAlgorithm: 'SHA256withRSA',
    previousDigestS3Bucket: previous === undefined ? null : BUCKET,
    previousDigestS3Object: previous?.key ?? null,
    previousDigestHashValue: previous?.hash ?? null,
    previousDigestHashAlgorithm: previous === undefined ? null : 'SHA-256',
    previousDigestSignature: previous?.signature ?? null,
    logFiles: Object.entries(logs).map(([s3Object, records]) => ({
      s3Bucket: BUCKET,
      s3Object,
      hashValue: sha256Hex(Buffer.from(JSON.stringify({ Records: records }))),
      hashAlgorithm: 'SHA-256',
    })),
  };
  const inflated = Buffer.from(JSON.stringify(digest));
  // Written out here from the documentation, not with the code under test.
  const toSign = `${end}\n${BUCKET}/${key}\n${sha256Hex(inflated)}\n${previous?.signature ?? 'null'}`;
  const signature = sign('sha256', Buffer.from(toSign, 'utf8'), keys.privateKey).toString('hex');
  const path = join(root, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(inflated));
  writeFileSync(
    `${path}.metadata.json`,
    JSON.stringify({ signature, 'signature-algorithm': 'SHA256withRSA' }),
  );
  return { key, signature, hash: sha256Hex(inflated) };
}
