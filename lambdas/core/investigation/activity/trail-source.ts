/**
 * Where a trail's files live: an S3 bucket (the Lambda) or a local copy of one (the CLI, tests). Keys
 * are `/`-separated and relative to the trail's root (bucket plus optional prefix), so `AWSLogs/...`
 * means the same object in both.
 */
export interface TrailSource {
  /** For coverage: `s3://bucket/prefix` or `dir:/path`. */
  readonly description: string;
  /** The immediate sub-folders of `prefix` (which ends with `/`), each ending with `/`. */
  listFolders(prefix: string): Promise<string[]>;
  /** The objects directly under `prefix` (not in sub-folders). */
  listObjects(prefix: string): Promise<string[]>;
  /** The object's bytes as stored (gzip for CloudTrail). */
  read(key: string): Promise<Uint8Array>;
  /**
   * The object's user metadata without the `x-amz-meta-` prefix (S3 GetObject's `Metadata`): where
   * CloudTrail puts a digest file's signature. Undefined when the source keeps none for the object.
   */
  metadata(key: string): Promise<Record<string, string> | undefined>;
}
