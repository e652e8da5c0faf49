import { readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { TrailSource } from './trail-source';

/** A missing folder lists as empty: a region or day with no delivery is not an error. */
async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * A local copy of a trail bucket (`aws s3 sync s3://trail-bucket/prefix DIR`). A copy loses S3 object
 * metadata, so a digest file's signature (`x-amz-meta-signature`) is read from a sidecar
 * `<digest key>.metadata.json` holding `{"signature": "...", "signature-algorithm": "SHA256withRSA"}`
 * when one was saved next to it.
 */
export class LocalTrailSource implements TrailSource {
  public readonly description: string;
  private readonly root: string;

  public constructor(root: string) {
    this.root = resolve(root);
    this.description = `dir:${this.root}`;
  }

  private path(key: string): string {
    const p = resolve(join(this.root, key));
    // Keys come from listings of this folder, but a crafted one must still not leave it.
    if (p !== this.root && !p.startsWith(this.root + sep))
      throw new Error(`key outside the trail folder: ${key}`);
    return p;
  }

  public async listFolders(prefix: string): Promise<string[]> {
    return (await entries(this.path(prefix)))
      .filter((e) => e.isDirectory())
      .map((e) => `${prefix}${e.name}/`)
      .sort();
  }

  public async listObjects(prefix: string): Promise<string[]> {
    return (await entries(this.path(prefix)))
      .filter((e) => e.isFile())
      .map((e) => `${prefix}${e.name}`)
      .sort();
  }

  public async read(key: string): Promise<Uint8Array> {
    return readFile(this.path(key));
  }

  public async metadata(key: string): Promise<Record<string, string> | undefined> {
    try {
      const doc: unknown = JSON.parse(await readFile(this.path(`${key}.metadata.json`), 'utf8'));
      if (doc === null || typeof doc !== 'object') return undefined;
      return Object.fromEntries(
        Object.entries(doc).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      return undefined;
    }
  }
}
