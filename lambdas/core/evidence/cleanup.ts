import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface OrphanOptions {
  /** Only uploads under this key prefix. */
  readonly prefix: string;
  /** Upload ids still in use (recorded exports): never aborted. */
  readonly keep?: ReadonlySet<string>;
  /** Only uploads initiated before this time (a sweep leaves recent, possibly live, uploads alone). */
  readonly initiatedBefore?: Date;
}

/**
 * Aborts multipart uploads nobody will complete: a planning step that crashed after
 * CreateMultipartUpload but before the ledger recorded the upload leaves one behind, and its parts are
 * billed until aborted. Completed evidence is never touched (AbortMultipartUpload only drops parts).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 */
export async function abortOrphanedUploads(
  s3: S3Client,
  bucket: string,
  o: OrphanOptions,
): Promise<string[]> {
  const aborted: string[] = [];
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: o.prefix, KeyMarker, UploadIdMarker }),
    );
    for (const u of page.Uploads ?? []) {
      if (u.UploadId === undefined || u.Key === undefined || o.keep?.has(u.UploadId)) continue;
      if (o.initiatedBefore !== undefined && (u.Initiated === undefined || u.Initiated >= o.initiatedBefore))
        continue;
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
      aborted.push(u.UploadId);
    }
    if (page.IsTruncated !== true) return aborted;
    KeyMarker = page.NextKeyMarker;
    UploadIdMarker = page.NextUploadIdMarker;
  }
}
