import { type EC2Client, type FlowLog, paginateDescribeFlowLogs } from '@aws-sdk/client-ec2';
import { DEFAULT_FORMAT, fieldsOfFormat } from './flow-record';

/** One flow log that covers the instance: where its records are and in which format. */
export interface FlowSource {
  readonly flowLogId: string;
  /** The ENI, subnet or VPC it captures. */
  readonly resourceId: string;
  readonly destination:
    | { readonly kind: 'cloud-watch-logs'; readonly logGroupName: string }
    | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly hive: boolean }
    | { readonly kind: 'unsupported'; readonly reason: string };
  /** The record fields in order (`LogFormat`, else the version 2 default). */
  readonly fields: ReadonlyArray<string>;
  readonly trafficType: string;
}

/**
 * The flow logs that capture the instance's traffic: those of its ENIs, of their subnets and of its VPC
 * (a VPC or subnet flow log captures every interface in it). DescribeFlowLogs filters on `resource-id`.
 * - CloudWatch Logs: `LogGroupName`; each interface has its own log stream in the group.
 * - S3: `LogDestination` is the bucket ARN with an optional folder; `DestinationOptions` says whether the
 *   files are plain text or Parquet (not read here: unknown) and whether the prefixes are Hive-compatible.
 * - Kinesis Data Firehose: records leave AWS's reach for us (unknown).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export async function findFlowLogs(
  ec2: EC2Client,
  resourceIds: ReadonlyArray<string>,
): Promise<FlowSource[]> {
  const out: FlowSource[] = [];
  if (resourceIds.length === 0) return out;
  for await (const page of paginateDescribeFlowLogs(
    { client: ec2 },
    { Filter: [{ Name: 'resource-id', Values: [...resourceIds] }] },
  )) {
    for (const f of page.FlowLogs ?? []) {
      if (f.FlowLogId === undefined || f.ResourceId === undefined) continue;
      out.push({
        flowLogId: f.FlowLogId,
        resourceId: f.ResourceId,
        destination: destinationOf(f),
        fields: f.LogFormat ? fieldsOfFormat(f.LogFormat) : DEFAULT_FORMAT,
        trafficType: f.TrafficType ?? 'ALL',
      });
    }
  }
  return out;
}

function destinationOf(f: FlowLog): FlowSource['destination'] {
  const type = f.LogDestinationType ?? (f.LogGroupName !== undefined ? 'cloud-watch-logs' : undefined);
  if (type === 'cloud-watch-logs' && f.LogGroupName !== undefined)
    return { kind: 'cloud-watch-logs', logGroupName: f.LogGroupName };
  if (type === 's3' && f.LogDestination !== undefined) {
    if (f.DestinationOptions?.FileFormat === 'parquet')
      return { kind: 'unsupported', reason: 'Parquet flow log files are not read' };
    // arn:aws:s3:::bucket[/folder/...]
    const [bucket = '', ...folder] = f.LogDestination.replace(/^arn:[^:]+:s3:::/, '').split('/');
    const prefix = folder.filter((p) => p !== '').join('/');
    return {
      kind: 's3',
      bucket,
      prefix: prefix === '' ? '' : `${prefix}/`,
      hive: f.DestinationOptions?.HiveCompatiblePartitions === true,
    };
  }
  return {
    kind: 'unsupported',
    reason: `flow logs delivered to ${type ?? 'an unknown destination'} are not read`,
  };
}
