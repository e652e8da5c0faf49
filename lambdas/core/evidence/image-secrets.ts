import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsErrorName } from '../errors';
import { type KeyResolvers, resolveAccessKeys } from '../investigation/secrets/resolve-keys';
import type { SecretFinding } from '../investigation/secrets/secret-finding';
import { capFindings, SegmentFindings, segmentFindingsKey } from '../investigation/secrets/segment-findings';
import { mapLimit } from './concurrency';
import type { ExportRef } from './evidence-record';
import { planSegments } from './part-plan';

export interface ImageSecrets {
  readonly secrets: SecretFinding[];
  readonly secretsDropped: number;
  /** Part ranges whose scan is missing or partial, and why. */
  readonly secretsIncomplete?: string[];
}

/**
 * The secret findings of one image: every segment's locked findings object (segments are the plan's,
 * planSegments(partCount, segmentParts), the split plan-export made), merged, capped and resolved.
 * A missing object (a segment exported before the scan existed, or S3's 403 for a missing key to a
 * caller without s3:ListBucket) makes the result incomplete, never the completion fail: the image is
 * evidence whether or not it was scanned.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Permissions: no s3:ListBucket, 403)
 */
export async function imageSecrets(
  s3: S3Client,
  bucket: string,
  e: ExportRef,
  segmentParts: number,
  resolvers?: KeyResolvers,
): Promise<ImageSecrets> {
  const incomplete: string[] = [];
  const segments = await mapLimit(planSegments(e.partCount, segmentParts), 8, async (r) => {
    const key = segmentFindingsKey(e.key, r.firstPart, r.lastPart);
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const doc = SegmentFindings.parse(JSON.parse((await res.Body?.transformToString()) ?? 'null'));
      if (doc.incomplete !== undefined)
        incomplete.push(`parts ${r.firstPart}-${r.lastPart}: ${doc.incomplete}`);
      return doc;
    } catch (err) {
      incomplete.push(
        `parts ${r.firstPart}-${r.lastPart}: no scan result (${awsErrorName(err) ?? 'unreadable'})`,
      );
      return undefined;
    }
  });
  const found = segments.flatMap((s) => s?.findings ?? []);
  const dropped = segments.reduce((n, s) => n + (s?.dropped ?? 0), 0);
  const capped = capFindings(found, dropped);
  const secrets =
    resolvers === undefined ? capped.findings : await resolveAccessKeys(resolvers, capped.findings);
  return {
    secrets,
    secretsDropped: capped.dropped,
    ...(incomplete.length === 0 ? {} : { secretsIncomplete: incomplete.sort() }),
  };
}
