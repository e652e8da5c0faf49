import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Networks } from './address-class';
import { parseFlowLog } from './flow-record';
import { type FlowVolume, flowVolume, unknownVolume } from './flow-volume';
import { fileInWindow } from './read-s3';

export interface LocalFlows {
  readonly volume: FlowVolume;
  readonly files: number;
  readonly malformed: ReadonlyArray<{ file: string; reason: string }>;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

/**
 * The flow volume of a local copy of flow log files in the S3 layout (`aws s3 sync s3://flow-bucket DIR`):
 * every plain-text `*.log.gz` whose 5-minute period can hold records of the window, each file's header
 * naming its fields. Files of different flow logs may repeat a flow: a copy of one flow log's folder is
 * what the figures assume. A damaged file is reported and skipped; no file at all is unknown, never zero.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export async function localFlowVolume(
  dir: string,
  q: Networks & { instanceAddresses: string[]; since: number; until: number },
): Promise<LocalFlows> {
  const malformed: Array<{ file: string; reason: string }> = [];
  const parts: Array<ReturnType<typeof parseFlowLog>> = [];
  for await (const file of walk(dir)) {
    if (!fileInWindow(file, undefined, q)) continue;
    try {
      parts.push(parseFlowLog(gunzipSync(await readFile(file)).toString('utf8')));
    } catch (err) {
      malformed.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const first = parts[0];
  if (first === undefined)
    return { volume: unknownVolume(`no flow log file of the window under ${dir}`), files: 0, malformed };
  const fields = first.fields.filter((f) => parts.every((p) => p.fields.includes(f)));
  const query = {
    instanceAddresses: q.instanceAddresses,
    vpcCidrs: [...q.vpcCidrs],
    peeredCidrs: [...q.peeredCidrs],
    awsCidrs: [...q.awsCidrs],
    since: q.since,
    until: q.until,
  };
  return {
    volume: flowVolume(
      fields,
      parts.flatMap((p) => p.records),
      query,
    ),
    files: parts.length,
    malformed,
  };
}
