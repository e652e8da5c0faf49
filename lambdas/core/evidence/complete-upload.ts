import {
  CompleteMultipartUploadCommand,
  GetObjectAttributesCommand,
  HeadObjectCommand,
  type Part,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorName, StepFailedError } from '../errors';
import { compositeSha256, parseComposite } from './checksums';
import type { ExportRef } from './evidence-record';

export interface CompletedUpload {
  readonly versionId: string;
  /** Base64 SHA-256 of each part, in part order, as S3 stores them. */
  readonly digests: string[];
  readonly requestId?: string;
}

/**
 * Completes one upload with every part's SHA-256 (S3 checks them and the composite). A retry after a
 * completion whose ledger write was lost finds no upload (NoSuchUpload): the image this quarantine
 * wrote is then recovered from the vault, with S3's stored part digests (GetObjectAttributes).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
 */
export async function completeUpload(
  s3: S3Client,
  bucket: string,
  e: ExportRef,
  quarantineId: string,
  listParts: () => Promise<Part[]>,
): Promise<CompletedUpload> {
  let parts: Part[];
  try {
    parts = await listParts();
  } catch (err) {
    if (awsErrorName(err) !== 'NoSuchUpload') throw err;
    return recover(s3, bucket, e, quarantineId, err);
  }
  const digests = parts.map((p) => p.ChecksumSHA256 ?? '');
  const res = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: e.key,
      UploadId: e.uploadId,
      MultipartUpload: {
        Parts: parts.map((p) => ({
          PartNumber: p.PartNumber,
          ETag: p.ETag,
          ChecksumSHA256: p.ChecksumSHA256,
        })),
      },
    }),
  );
  if (res.VersionId === undefined)
    throw new StepFailedError(`vault ${bucket} returned no version id`, 'complete-export');
  const composite = compositeSha256(digests);
  const got = res.ChecksumSHA256 === undefined ? undefined : parseComposite(res.ChecksumSHA256);
  if (got !== undefined && got.digest !== parseComposite(composite).digest) {
    throw new StepFailedError(
      `${e.key}: S3 composite SHA-256 ${res.ChecksumSHA256} differs from ${composite}`,
      'complete-export',
    );
  }
  return {
    versionId: res.VersionId,
    digests,
    ...(res.$metadata?.requestId === undefined ? {} : { requestId: res.$metadata.requestId }),
  };
}

async function recover(
  s3: S3Client,
  bucket: string,
  e: ExportRef,
  quarantineId: string,
  cause: unknown,
): Promise<CompletedUpload> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: e.key }));
  if (
    head.Metadata?.['quarantine-id'] !== quarantineId ||
    head.Metadata['snapshot-id'] !== e.snapshotId ||
    head.VersionId === undefined
  ) {
    throw new StepFailedError(
      `upload of ${e.key} is gone and no completed image of ${e.snapshotId} is in the vault`,
      'complete-export',
      { cause },
    );
  }
  const digests: string[] = [];
  for (let marker: string | undefined; ; ) {
    const attrs = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: e.key,
        VersionId: head.VersionId,
        ObjectAttributes: ['ObjectParts'],
        MaxParts: 1000,
        ...(marker === undefined ? {} : { PartNumberMarker: marker }),
      }),
    );
    for (const p of attrs.ObjectParts?.Parts ?? []) digests.push(p.ChecksumSHA256 ?? '');
    if (attrs.ObjectParts?.IsTruncated !== true) break;
    marker = attrs.ObjectParts.NextPartNumberMarker;
  }
  if (digests.length !== e.partCount || digests.some((d) => d === '')) {
    throw new StepFailedError(
      `${e.key}: S3 lists ${digests.length} part digests, expected ${e.partCount}`,
      'complete-export',
    );
  }
  return { versionId: head.VersionId, digests };
}
