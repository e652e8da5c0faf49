import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { TrailSource } from './trail-source';

/**
 * A trail bucket (optionally under a prefix) read with ListObjectsV2 and GetObject. Folders are listed
 * with the `/` delimiter (CommonPrefixes), objects one date folder at a time, so a window of days costs
 * a few listings per region, not a listing of the whole bucket. Every page is followed (1,000 keys each).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
 */
export class S3TrailSource implements TrailSource {
  public readonly description: string;
  private readonly prefix: string;

  public constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    prefix = '',
  ) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.description = `s3://${bucket}/${this.prefix}`;
  }

  private async list(prefix: string, delimiter: boolean): Promise<{ keys: string[]; folders: string[] }> {
    const keys: string[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ...(delimiter ? { Delimiter: '/' } : {}),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key !== undefined) keys.push(o.Key.slice(this.prefix.length));
      for (const p of page.CommonPrefixes ?? [])
        if (p.Prefix !== undefined) folders.push(p.Prefix.slice(this.prefix.length));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return { keys, folders };
  }

  public async listFolders(prefix: string): Promise<string[]> {
    return (await this.list(prefix, true)).folders.sort();
  }

  public async listObjects(prefix: string): Promise<string[]> {
    return (await this.list(prefix, true)).keys.filter((k) => !k.endsWith('/')).sort();
  }

  public async read(key: string): Promise<Uint8Array> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    if (out.Body === undefined) throw new Error(`empty body: ${key}`);
    return out.Body.transformToByteArray();
  }

  /** CloudTrail puts a digest's signature in the object's user metadata (`x-amz-meta-signature`). */
  public async metadata(key: string): Promise<Record<string, string> | undefined> {
    const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    return out.Metadata;
  }
}
