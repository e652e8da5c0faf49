import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsErrorName } from '../errors';
import { type SegmentFindings, segmentFindingsKey } from '../investigation/secrets/segment-findings';
import { sha256b64 } from './checksums';
import { type EvidenceConfig, lockFor } from './config';
import type { Segment } from './evidence-record';

/**
 * Stores a segment's findings as a locked object beside its image (segment-findings.ts says why one
 * object per segment). Written after every part of the segment is uploaded; redacted previews only.
 * Written once: a retried segment scans the same snapshot blocks and finds the same, so the write is
 * conditional (`If-None-Match: *`) and S3's 412 PreconditionFailed (409 ConditionalRequestConflict for
 * a concurrent write of the same key) means an earlier attempt already stored it; the vault keeps one
 * version of every evidence object.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export async function writeSegmentFindings(
  s3: S3Client,
  bucket: string,
  seg: Segment,
  cfg: Pick<EvidenceConfig, 'retentionDays' | 'legalHold'>,
  found: Omit<SegmentFindings, 'key' | 'firstPart' | 'lastPart'>,
): Promise<Pick<SegmentFindings, 'dropped' | 'scannedBytes' | 'incomplete'> & { found: number }> {
  const doc: SegmentFindings = { key: seg.key, firstPart: seg.firstPart, lastPart: seg.lastPart, ...found };
  const body = Buffer.from(JSON.stringify(doc));
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: segmentFindingsKey(seg.key, seg.firstPart, seg.lastPart),
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256b64(body),
        ContentType: 'application/json',
        ...lockFor(cfg as EvidenceConfig),
        IfNoneMatch: '*',
      }),
    );
  } catch (err) {
    const name = awsErrorName(err);
    if (name !== 'PreconditionFailed' && name !== 'ConditionalRequestConflict') throw err;
  }
  return {
    found: found.findings.length,
    dropped: found.dropped,
    scannedBytes: found.scannedBytes,
    ...(found.incomplete === undefined ? {} : { incomplete: found.incomplete }),
  };
}
