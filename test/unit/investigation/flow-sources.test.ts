import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { collectFlowVolume } from '../../../lambdas/core/investigation/flow-logs/collect-flow-volume';
import { DEFAULT_FORMAT } from '../../../lambdas/core/investigation/flow-logs/flow-record';
import { findFlowLogs } from '../../../lambdas/core/investigation/flow-logs/flow-sources';
import { dayPrefixes, fileInWindow } from '../../../lambdas/core/investigation/flow-logs/read-s3';

const ec2 = mockClient(EC2Client);
const SINCE = 1764460800; // 2025-11-30T00:00:00Z

/**
 * DescribeFlowLogs as AWS documents it (FlowLog: LogDestinationType, LogDestination with an optional
 * folder, DestinationOptions with FileFormat and HiveCompatiblePartitions), including what moto does not
 * keep. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html
 */
describe('Function: findFlowLogs', () => {
  afterEach(() => ec2.reset());

  it('reads the S3 folder, the Hive option and the custom format; Parquet and Firehose are unknown', async () => {
    ec2.on(DescribeFlowLogsCommand).resolves({
      FlowLogs: [
        {
          FlowLogId: 'fl-1',
          ResourceId: 'vpc-1',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::flow-archive/network/vpc',
          DestinationOptions: {
            FileFormat: 'plain-text',
            HiveCompatiblePartitions: true,
            PerHourPartition: true,
          },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the flow log format's own ${field} syntax
          LogFormat: '${srcaddr} ${dstaddr} ${bytes} ${start} ${end}',
          TrafficType: 'ALL',
        },
        {
          FlowLogId: 'fl-2',
          ResourceId: 'subnet-1',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::flow-parquet',
          DestinationOptions: { FileFormat: 'parquet' },
        },
        {
          FlowLogId: 'fl-3',
          ResourceId: 'eni-1',
          LogDestinationType: 'kinesis-data-firehose',
          LogDestination: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/flows',
        },
      ],
    });
    const found = await findFlowLogs(new EC2Client({ region: 'eu-west-1' }), ['eni-1', 'subnet-1', 'vpc-1']);
    expect(ec2.commandCalls(DescribeFlowLogsCommand)[0]?.args[0].input).toEqual({
      Filter: [{ Name: 'resource-id', Values: ['eni-1', 'subnet-1', 'vpc-1'] }],
    });
    expect(found.map((f) => f.destination)).toEqual([
      { kind: 's3', bucket: 'flow-archive', prefix: 'network/vpc/', hive: true },
      { kind: 'unsupported', reason: 'Parquet flow log files are not read' },
      { kind: 'unsupported', reason: 'flow logs delivered to kinesis-data-firehose are not read' },
    ]);
    expect(found[0]?.fields).toEqual(['srcaddr', 'dstaddr', 'bytes', 'start', 'end']);
    expect(found[1]?.fields).toEqual(DEFAULT_FORMAT);
  });

  it('a Parquet-only flow log leaves the volume unknown with the reason, never zero', async () => {
    ec2.on(DescribeFlowLogsCommand).resolves({
      FlowLogs: [
        {
          FlowLogId: 'fl-2',
          ResourceId: 'vpc-1',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::flow-parquet',
          DestinationOptions: { FileFormat: 'parquet' },
        },
      ],
    });
    const clients = { ec2: new EC2Client({ region: 'eu-west-1' }) } as never;
    const target = {
      accountId: '111122223333',
      region: 'eu-west-1',
      vpcId: 'vpc-1',
      subnetIds: [],
      eniIds: ['eni-1'],
      instanceAddresses: ['10.0.1.5'],
      vpcCidrs: ['10.0.0.0/16'],
      peeredCidrs: [],
      awsCidrs: [],
    };
    const window = { since: new Date(SINCE * 1000), until: new Date((SINCE + 60) * 1000) };
    const { volume, sources } = await collectFlowVolume(clients, target, window);
    expect(volume).toMatchObject({ status: 'unknown', bytesOut: { outsideVpc: 'unknown' } });
    expect(sources).toEqual([
      expect.objectContaining({ status: 'unknown', reason: 'Parquet flow log files are not read' }),
    ]);
  });
});

describe('Function: dayPrefixes / fileInWindow', () => {
  it('lists the day folders of the window, with the folder prefix, in both layouts', () => {
    const w = { since: SINCE - 60, until: SINCE + 3600 };
    const dest = { prefix: 'network/', hive: false };
    expect(dayPrefixes(dest, '111122223333', 'eu-west-1', w)).toEqual([
      'network/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2025/11/29/',
      'network/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2025/11/30/',
    ]);
    expect(
      dayPrefixes({ prefix: '', hive: true }, '111122223333', 'eu-west-1', {
        since: SINCE + 7200,
        until: SINCE + 7260,
      }),
    ).toEqual([
      'AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2025/month=11/day=30/',
    ]);
  });

  it("keeps this flow log's files whose 5-minute period can hold the window's records", () => {
    const w = { since: SINCE, until: SINCE + 3600 };
    const key = (id: string, t: string) =>
      `AWSLogs/111122223333/vpcflowlogs/eu-west-1/2025/11/30/111122223333_vpcflowlogs_eu-west-1_${id}_${t}_abcd.log.gz`;
    expect(fileInWindow(key('fl-1', '20251130T0010Z'), 'fl-1', w)).toBe(true);
    expect(fileInWindow(key('fl-2', '20251130T0010Z'), 'fl-1', w)).toBe(false);
    expect(fileInWindow(key('fl-1', '20251129T2000Z'), 'fl-1', w)).toBe(false);
    expect(fileInWindow(key('fl-1', '20251130T0010Z').replace('.log.gz', '.parquet'), 'fl-1', w)).toBe(false);
  });
});
