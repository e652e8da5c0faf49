import type { TrailSource } from './trail-source';

/**
 * Several trail buckets read as one trail (an organisation trail and account trails, or one bucket per
 * region): folders and objects are the union of every source's, and an object is read from the source
 * that listed it. The same key in two buckets is read once; the same event delivered twice is
 * deduplicated by its eventID in the analysis.
 */
export class MultiTrailSource implements TrailSource {
  public readonly description: string;
  private readonly owner = new Map<string, TrailSource>();

  public constructor(private readonly sources: ReadonlyArray<TrailSource>) {
    this.description = sources.map((s) => s.description).join(' + ');
  }

  public async listFolders(prefix: string): Promise<string[]> {
    const all = await Promise.all(this.sources.map((s) => s.listFolders(prefix)));
    return [...new Set(all.flat())].sort();
  }

  public async listObjects(prefix: string): Promise<string[]> {
    const all = await Promise.all(
      this.sources.map(async (s) => {
        const keys = await s.listObjects(prefix);
        for (const k of keys) if (!this.owner.has(k)) this.owner.set(k, s);
        return keys;
      }),
    );
    return [...new Set(all.flat())].sort();
  }

  private of(key: string): TrailSource {
    const s = this.owner.get(key) ?? this.sources[0];
    if (s === undefined) throw new Error('no trail source');
    return s;
  }

  public read(key: string): Promise<Uint8Array> {
    return this.of(key).read(key);
  }

  public metadata(key: string): Promise<Record<string, string> | undefined> {
    return this.of(key).metadata(key);
  }
}
