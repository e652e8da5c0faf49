import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { reasonOf } from '../reach/collect-support';
import type { Networks } from './address-class';
import type { FlowQuery } from './flow-query';
import { type FlowRecord, parseFlowLog } from './flow-record';
import { type FlowSource, findFlowLogs } from './flow-sources';
import { type FlowVolume, flowVolume, unknownVolume } from './flow-volume';
import { readCloudWatchFlows } from './read-cloudwatch';
import { readS3Flows } from './read-s3';

export interface FlowClients {
  /** EC2 in the instance's region. */
  readonly ec2: EC2Client;
  /** CloudWatch Logs in the instance's region (flow logs publish to a group of their own region). */
  readonly logs: CloudWatchLogsClient;
  /** S3 for the flow log buckets (any region: the client should follow region redirects). */
  readonly s3: S3Client;
}

/** The quarantined instance's network as recorded at quarantine time. */
export interface FlowTarget extends Networks {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly subnetIds: ReadonlyArray<string>;
  /** The instance's network interfaces. */
  readonly eniIds: ReadonlyArray<string>;
  /** Its NAT gateways' interfaces: their records attribute the instance's internet traffic (pkt-srcaddr). */
  readonly natEniIds?: ReadonlyArray<string>;
  /** The instance's private addresses (the records' srcaddr / pkt-srcaddr). */
  readonly instanceAddresses: ReadonlyArray<string>;
}

/** From the first suspicious event to the network cut. */
export interface FlowWindow {
  readonly since: Date;
  readonly until: Date;
}

export interface FlowSourceReport {
  readonly flowLogId: string;
  readonly resourceId: string;
  readonly destination: string;
  readonly status: 'read' | 'unknown' | 'skipped';
  readonly records?: number;
  readonly malformed?: number;
  readonly reason?: string;
}

export interface FlowCollection {
  readonly volume: FlowVolume;
  readonly sources: ReadonlyArray<FlowSourceReport>;
}

interface Parsed {
  readonly fields: ReadonlyArray<string>;
  readonly records: FlowRecord[];
  readonly malformed: number;
}

/**
 * The bytes that left the instance in the window, from the flow logs that cover its interfaces, subnets
 * or VPC, wherever they are delivered (CloudWatch Logs or S3 plain text). A flow log that cannot be read
 * (denied, Parquet, Firehose) is reported unknown with the reason and the others still count; with no
 * readable flow log the volume is unknown, never zero. Two flow logs covering the same interface (the
 * VPC's and the ENI's) deliver the same records: they are counted once.
 */
export async function collectFlowVolume(
  clients: FlowClients,
  target: FlowTarget,
  window: FlowWindow,
): Promise<FlowCollection> {
  const w = {
    since: Math.floor(window.since.getTime() / 1000),
    until: Math.ceil(window.until.getTime() / 1000),
  };
  const enis = [...target.eniIds, ...(target.natEniIds ?? [])];
  let sources: FlowSource[];
  try {
    sources = await findFlowLogs(clients.ec2, [...enis, ...target.subnetIds, target.vpcId]);
  } catch (err) {
    return { volume: unknownVolume(`ec2:DescribeFlowLogs: ${reasonOf(err)}`), sources: [] };
  }
  if (sources.length === 0)
    return { volume: unknownVolume('no flow log covers the instance, its subnets or its VPC'), sources: [] };

  const reports: FlowSourceReport[] = [];
  const parsed: Parsed[] = [];
  for (const s of sources) {
    const base = { flowLogId: s.flowLogId, resourceId: s.resourceId, destination: describe(s) };
    // A flow log of rejected traffic only records nothing that left.
    if (s.trafficType === 'REJECT') {
      reports.push({ ...base, status: 'skipped', reason: 'captures rejected traffic only' });
      continue;
    }
    try {
      const p = await read(clients, s, target, enis, w);
      if (p === undefined) {
        reports.push({ ...base, status: 'unknown', reason: (s.destination as { reason: string }).reason });
        continue;
      }
      parsed.push(p);
      reports.push({ ...base, status: 'read', records: p.records.length, malformed: p.malformed });
    } catch (err) {
      reports.push({ ...base, status: 'unknown', reason: reasonOf(err) });
    }
  }
  if (parsed.length === 0)
    return { volume: unknownVolume('no flow log of the instance could be read'), sources: reports };
  const { fields, records } = combine(parsed);
  const query: FlowQuery = {
    instanceAddresses: [...target.instanceAddresses],
    vpcCidrs: [...target.vpcCidrs],
    peeredCidrs: [...target.peeredCidrs],
    awsCidrs: [...target.awsCidrs],
    since: w.since,
    until: w.until,
  };
  const volume = flowVolume(fields, records, query);
  return { volume, sources: reports };
}

async function read(
  clients: FlowClients,
  s: FlowSource,
  target: FlowTarget,
  enis: ReadonlyArray<string>,
  w: { since: number; until: number },
): Promise<Parsed | undefined> {
  const d = s.destination;
  if (d.kind === 'unsupported') return undefined;
  if (d.kind === 'cloud-watch-logs') {
    // CloudWatch Logs events carry no header: the flow log's format names the fields.
    const lines = await readCloudWatchFlows(clients.logs, d.logGroupName, enis, w);
    return parseFlowLog(lines.join('\n'), s.fields);
  }
  // A line of the instance names one of its interfaces or addresses (a superset: flowVolume decides).
  // IPv6 may be written in another notation than recorded: with IPv6 addresses, every IPv6 line stays.
  const marks = [...enis, ...target.instanceAddresses.filter((a) => !a.includes(':'))];
  const v6 = target.instanceAddresses.some((a) => a.includes(':'));
  const keep = (line: string) => (v6 && line.includes(':')) || marks.some((m) => line.includes(m));
  const files = await readS3Flows(clients.s3, d, s.flowLogId, target.accountId, target.region, w, keep);
  const parts = files.texts.map((t) => parseFlowLog(t, s.fields));
  return {
    fields: parts[0]?.fields ?? s.fields,
    records: parts.flatMap((p) => p.records),
    malformed: parts.reduce((n, p) => n + p.malformed, files.malformed.length),
  };
}

/**
 * One record list from several flow logs: the fields every source carries, and each record once (keyed
 * on those fields but the format version). Sources with more fields come first, so a duplicate keeps its
 * richer copy.
 */
function combine(parsed: ReadonlyArray<Parsed>): { fields: string[]; records: FlowRecord[] } {
  const sorted = [...parsed].sort((a, b) => b.fields.length - a.fields.length);
  const fields = (sorted[0]?.fields ?? []).filter((f) => sorted.every((p) => p.fields.includes(f)));
  // `version` is the format's version, not the flow's: two flow logs of one flow differ there.
  const keyFields = fields.filter((f) => f !== 'version');
  const seen = new Set<string>();
  const records: FlowRecord[] = [];
  for (const p of sorted)
    for (const r of p.records) {
      const key = keyFields.map((f) => r.get(f) ?? '-').join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      records.push(r);
    }
  return { fields, records };
}

function describe(s: FlowSource): string {
  const d = s.destination;
  if (d.kind === 'cloud-watch-logs') return `cloud-watch-logs:${d.logGroupName}`;
  if (d.kind === 's3') return `s3://${d.bucket}/${d.prefix}`;
  return 'unsupported';
}
