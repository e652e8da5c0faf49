import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { TrailSource } from './trail-source';

const gunzipAsync = promisify(gunzip);

/** A log file that could not be used, and why; reported in coverage, never fatal. */
export interface MalformedFile {
  readonly key: string;
  readonly problem: string;
}

/**
 * The records of one CloudTrail log file: a gzip'd JSON object `{"Records": [...]}`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
export async function readLogFile(source: TrailSource, key: string): Promise<unknown[]> {
  const bytes = await source.read(key);
  // gunzip runs on libuv's thread pool, so several files inflate while the main thread parses another.
  const text = key.endsWith('.gz') ? await gunzipAsync(bytes) : Buffer.from(bytes);
  const doc: unknown = JSON.parse(text.toString('utf8'));
  const records = (doc as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new Error('no "Records" array');
  return records;
}

/**
 * Reads `keys` with at most `concurrency` files in flight and hands each file's records to `onFile`
 * as soon as it is parsed (in completion order), then drops them: memory holds `concurrency` files,
 * not the trail. A file that cannot be read, inflated or parsed is returned in the malformed list.
 */
export async function forEachLogFile(
  source: TrailSource,
  keys: ReadonlyArray<string>,
  concurrency: number,
  onFile: (records: unknown[], index: number) => void,
): Promise<MalformedFile[]> {
  const malformed: MalformedFile[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next;
      next += 1;
      const key = keys[i] as string;
      let records: unknown[];
      try {
        records = await readLogFile(source, key);
      } catch (err) {
        malformed.push({ key, problem: problemOf(err) });
        continue;
      }
      onFile(records, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
  return malformed.sort((a, b) => a.key.localeCompare(b.key));
}

function problemOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').slice(0, 200);
}
