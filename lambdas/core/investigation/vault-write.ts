import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256b64 } from '../evidence/checksums';
import { type EvidenceConfig, lockFor } from '../evidence/config';
import { evidencePrefix } from '../evidence/vault';
import type { SealedObject } from './outcome';

/** Where an investigation step writes: `<evidence prefix><incident>/<quarantine>/investigation/`. */
export const investigationPrefix = (
  cfg: Pick<EvidenceConfig, 'prefix'>,
  r: { incidentId: string; quarantineId: string },
) => `${evidencePrefix(cfg.prefix, r)}investigation/`;

/**
 * Writes one investigation object into the vault as the evidence is written: COMPLIANCE retention and
 * the configured legal hold (lockFor), and the SHA-256 S3 checks on arrival (ChecksumSHA256), so the
 * hash recorded in the ledger and the manifest is the one S3 verified.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export async function writeSealedObject(
  s3: S3Client,
  cfg: Pick<EvidenceConfig, 'vaultBucket' | 'retentionDays' | 'legalHold'>,
  o: { readonly name: string; readonly key: string; readonly body: Uint8Array; readonly contentType: string },
): Promise<SealedObject> {
  const sha256 = sha256b64(o.body);
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: cfg.vaultBucket,
      Key: o.key,
      Body: o.body,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: sha256,
      ContentType: o.contentType,
      ...lockFor(cfg),
    }),
  );
  return {
    name: o.name,
    key: o.key,
    sha256,
    ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
  };
}
