import { createHash, type KeyObject, verify } from 'node:crypto';
import * as z from 'zod/mini';

/**
 * A CloudTrail digest file: the log files delivered in one hour with their SHA-256, and the signature of
 * the previous digest, which chains the digests of a region together.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 *
 * @example
 * {
 *   "awsAccountId": "111122223333", "digestStartTime": "2015-08-17T14:01:31Z",
 *   "digestEndTime": "2015-08-17T15:01:31Z", "digestS3Bucket": "amzn-s3-demo-bucket",
 *   "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz",
 *   "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff", "digestSignatureAlgorithm": "SHA256withRSA",
 *   "previousDigestS3Bucket": "amzn-s3-demo-bucket", "previousDigestS3Object": "AWSLogs/.../...T140131Z.json.gz",
 *   "previousDigestHashValue": "97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d",
 *   "previousDigestHashAlgorithm": "SHA-256", "previousDigestSignature": "50676a...",
 *   "logFiles": [{ "s3Bucket": "amzn-s3-demo-bucket", "s3Object": "AWSLogs/.../...json.gz",
 *     "hashValue": "9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6", "hashAlgorithm": "SHA-256",
 *     "newestEventTime": "2015-08-17T14:52:27Z", "oldestEventTime": "2015-08-17T14:42:27Z" }]
 * }
 */
export const DigestFile = z.looseObject({
  awsAccountId: z.string(),
  digestEndTime: z.string(),
  digestS3Bucket: z.string(),
  digestS3Object: z.string(),
  digestPublicKeyFingerprint: z.string(),
  digestSignatureAlgorithm: z.optional(z.string()),
  previousDigestS3Object: z.optional(z.nullable(z.string())),
  previousDigestHashValue: z.optional(z.nullable(z.string())),
  previousDigestSignature: z.optional(z.nullable(z.string())),
  logFiles: z.array(z.looseObject({ s3Bucket: z.string(), s3Object: z.string(), hashValue: z.string() })),
});
export type DigestFile = z.infer<typeof DigestFile>;

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The string CloudTrail signs for a digest: its end time, its S3 path, the hex SHA-256 of the
 * (uncompressed) digest file, and the previous digest's hex signature ("null" for the first digest of
 * a chain, as the AWS CLI's validator writes it), separated by newlines.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 */
export function signingString(digest: DigestFile, inflated: Uint8Array): string {
  const previous = digest.previousDigestSignature ?? 'null';
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${sha256Hex(inflated)}\n${previous}`;
}

/**
 * Checks a digest's signature (hex, from the object's `x-amz-meta-signature`): SHA256withRSA, that is
 * RSASSA-PKCS1-v1_5 over the SHA-256 of the signing string, with the region's public key whose
 * fingerprint the digest names (ListPublicKeys gives the keys for a time range).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 */
export function signatureValid(
  digest: DigestFile,
  inflated: Uint8Array,
  signatureHex: string,
  key: KeyObject,
): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex)) return false;
  return verify(
    'sha256',
    Buffer.from(signingString(digest, inflated)),
    key,
    Buffer.from(signatureHex, 'hex'),
  );
}
