import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../../evidence/concurrency';
import { MAX_AGGREGATION_S } from './read-cloudwatch';

/**
 * Files are published every 5 minutes; allow for late delivery after the window.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
 */
const DELIVERY_SLACK_S = 3600;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The day folders of a flow log's S3 files that can hold records of [since, until]:
 * `<prefix>AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/` (Hive-compatible:
 * `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=YYYY/month=MM/day=DD/`);
 * hourly partitions are folders below the day, listed with it.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export function dayPrefixes(
  dest: { readonly prefix: string; readonly hive: boolean },
  account: string,
  region: string,
  window: { readonly since: number; readonly until: number },
): string[] {
  const out: string[] = [];
  const first = new Date((window.since - MAX_AGGREGATION_S) * 1000);
  const last = new Date((window.until + DELIVERY_SLACK_S) * 1000);
  const day = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()));
  for (; day <= last; day.setUTCDate(day.getUTCDate() + 1)) {
    const [y, m, d] = [day.getUTCFullYear(), pad(day.getUTCMonth() + 1), pad(day.getUTCDate())];
    out.push(
      dest.hive
        ? `${dest.prefix}AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=${y}/month=${m}/day=${d}/`
        : `${dest.prefix}AWSLogs/${account}/vpcflowlogs/${region}/${y}/${m}/${d}/`,
    );
  }
  return out;
}

/**
 * Whether a file of this flow log can hold records of the window: its name is
 * `<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`, the time being the end
 * of the 5 minutes it covers.
 */
export function fileInWindow(
  key: string,
  flowLogId: string | undefined,
  window: { since: number; until: number },
): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (!name.endsWith('.log.gz')) return false;
  if (!name.includes(flowLogId === undefined ? '_vpcflowlogs_' : `_${flowLogId}_`)) return false;
  const t = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(name);
  if (t === null) return true;
  const at = Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5])) / 1000;
  return at >= window.since - MAX_AGGREGATION_S && at <= window.until + DELIVERY_SLACK_S;
}

export interface S3FlowFiles {
  /** Each file's text (gunzipped), in key order. */
  readonly texts: string[];
  /** Files that are not gzip text, with why: reported and skipped. */
  readonly malformed: Array<{ key: string; reason: string }>;
}

/**
 * Reads the window's plain-text flow log files of one flow log from its bucket. A VPC's flow log holds
 * every interface of the VPC, days of it: with `keep`, each file is cut down to its header and the
 * lines `keep` accepts as soon as it is unzipped, so only the instance's lines stay in memory.
 */
export async function readS3Flows(
  s3: S3Client,
  dest: { readonly bucket: string; readonly prefix: string; readonly hive: boolean },
  flowLogId: string,
  account: string,
  region: string,
  window: { readonly since: number; readonly until: number },
  keep?: (line: string) => boolean,
): Promise<S3FlowFiles> {
  const keys: string[] = [];
  for (const prefix of dayPrefixes(dest, account, region, window)) {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: dest.bucket, Prefix: prefix }))
      for (const o of page.Contents ?? [])
        if (o.Key && fileInWindow(o.Key, flowLogId, window)) keys.push(o.Key);
  }
  keys.sort();
  const malformed: S3FlowFiles['malformed'] = [];
  const read = await mapLimit(keys, 8, async (key) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: dest.bucket, Key: key }));
    const bytes = Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
    try {
      const text = gunzipSync(bytes).toString('utf8');
      return keep === undefined
        ? text
        : text
            .split('\n')
            .filter((line, i) => i === 0 || keep(line))
            .join('\n');
    } catch (err) {
      malformed.push({ key, reason: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  });
  return { texts: read.filter((t): t is string => t !== undefined), malformed };
}
