import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsErrorName } from '../errors';
import { sha256b64 } from '../evidence/checksums';
import { type EvidenceConfig, lockFor } from '../evidence/config';
import { evidencePrefix } from '../evidence/vault';
import type { SealedObject } from './outcome';

/** Where an investigation step's objects go: `<evidence prefix>investigation/<name>`. */
export const investigationKey = (
  cfg: Pick<EvidenceConfig, 'prefix'>,
  r: { incidentId: string; quarantineId: string },
  name: string,
) => `${evidencePrefix(cfg.prefix, r)}investigation/${name}`;

/**
 * Writes one investigation result into the vault as evidence is written (context.ts): COMPLIANCE
 * retention and the evidence's legal hold, SSE by the bucket default, and the SHA-256 computed here sent
 * as ChecksumSHA256, so S3 refuses the put if the bytes it received differ (BadDigest).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export async function putSealed(
  s3: S3Client,
  cfg: EvidenceConfig,
  key: string,
  body: Buffer,
  contentType: string,
  now = new Date(),
): Promise<SealedObject> {
  const sha256 = sha256b64(body);
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: cfg.vaultBucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: sha256,
      ...lockFor(cfg, now),
    }),
  );
  return {
    name: key.slice(key.lastIndexOf('/') + 1),
    key,
    sha256,
    ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
  };
}

/** One line naming an AWS failure for the record: `<ErrorName>: <message>`, capped. */
export function reasonOf(err: unknown, max = 300): string {
  return `${awsErrorName(err) ?? 'Error'}: ${err instanceof Error ? err.message : String(err)}`.slice(0, max);
}
