import { gzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFlowLogsCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  collectFlowVolume,
  type FlowClients,
  type FlowTarget,
} from '../../lambdas/core/investigation/flow-logs/collect-flow-volume';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { freshMoto, REGION } from '../support/moto';

const ACCOUNT = '123456789012';
// CloudWatch Logs refuses events older than 14 days: the window is the last hours.
const SINCE = Math.floor(Date.now() / 3_600_000) * 3600 - 3 * 3600;
const at = (seconds: number) => new Date(seconds * 1000).toISOString();
/** `YYYY/MM/DD/` of the S3 layout and `YYYYMMDDTHHmmZ` of a file name, for a time in epoch seconds. */
const folder = (seconds: number) => at(seconds).slice(0, 10).replaceAll('-', '/');
const stamp = (seconds: number) => `${at(seconds).slice(0, 16).replaceAll('-', '').replace(':', '')}Z`;
const WINDOW = { since: new Date(SINCE * 1000), until: new Date((SINCE + 3600) * 1000) };
const T = `${SINCE + 200} ${SINCE + 260}`;
const V5_FORMAT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the flow log format's own ${field} syntax
  '${version} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${bytes} ${start} ${end} ${action} ${log-status} ${pkt-dst-aws-service}';

/**
 * Flow logs from where AWS delivers them, on moto: an ENI flow log in CloudWatch Logs (custom version 5
 * format) and the VPC's flow log in S3 (default format). moto stores flow logs but never
 * delivers records, so the test writes real-format records where DescribeFlowLogs says they are.
 */
describe('collectFlowVolume against moto', () => {
  let clients: FlowClients;
  let target: FlowTarget;
  let eni: string;

  beforeAll(async () => {
    const env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS };
    const ec2 = new EC2Client(opts);
    const logs = new CloudWatchLogsClient(opts);
    const s3 = new S3Client({ ...opts, forcePathStyle: true });
    clients = { ec2, logs, s3 };
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId as string;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' })))
      .Subnet?.SubnetId as string;
    eni = (
      await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: '10.0.1.5' }))
    ).NetworkInterface?.NetworkInterfaceId as string;
    target = {
      accountId: ACCOUNT,
      region: REGION,
      vpcId,
      subnetIds: [subnetId],
      eniIds: [eni],
      instanceAddresses: ['10.0.1.5'],
      vpcCidrs: ['10.0.0.0/16'],
      peeredCidrs: ['10.1.0.0/16'],
      awsCidrs: [],
    };

    // The ENI's flow log in CloudWatch Logs: one stream per interface, no header line.
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'vpc-flows' }));
    await ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'NetworkInterface',
        ResourceIds: [eni],
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flows',
        DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs-delivery`,
        LogFormat: V5_FORMAT,
      }),
    );
    const put = async (stream: string, lines: string[]) => {
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'vpc-flows', logStreamName: stream }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'vpc-flows',
          logStreamName: stream,
          logEvents: lines
            .map((message) => ({ timestamp: Number(message.split(' ')[7]) * 1000, message }))
            .sort((a, b) => a.timestamp - b.timestamp),
        }),
      );
    };
    await put(`${eni}-all`, [
      `5 ${eni} 10.0.1.5 198.51.100.7 10.0.1.5 198.51.100.7 5000 ${T} ACCEPT OK -`,
      `5 ${eni} 10.0.1.5 52.95.128.10 10.0.1.5 52.95.128.10 700 ${T} ACCEPT OK S3`,
      // Hours before the first suspicious event: outside the window.
      `5 ${eni} 10.0.1.5 198.51.100.9 10.0.1.5 198.51.100.9 99999 ${SINCE - 7200} ${SINCE - 7140} ACCEPT OK -`,
    ]);
    // Another interface's stream in the same group: not the instance's.
    await put('eni-0other000000000001-all', [
      `5 eni-0other000000000001 10.0.1.99 198.51.100.7 10.0.1.99 198.51.100.7 7777 ${T} ACCEPT OK -`,
    ]);

    // The VPC's flow log in S3, default (version 2) format.
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'flow-archive',
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    const created = await ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [vpcId],
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        // moto refuses a folder after the bucket name (AWS accepts one): the folder case is a unit test.
        LogDestination: 'arn:aws:s3:::flow-archive',
      }),
    );
    const flowLogId = created.FlowLogIds?.[0] as string;
    const header =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const day = `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/${folder(SINCE + 300)}/`;
    const file = (name: string, body: Buffer | string) =>
      s3.send(new PutObjectCommand({ Bucket: 'flow-archive', Key: `${day}${name}`, Body: body }));
    await file(
      `${ACCOUNT}_vpcflowlogs_${REGION}_${flowLogId}_${stamp(SINCE + 300)}_a1b2c3d4.log.gz`,
      gzipSync(
        [
          header,
          // The same flow the ENI's flow log recorded: counted once.
          `2 ${ACCOUNT} ${eni} 10.0.1.5 198.51.100.7 49152 443 6 20 5000 ${T} ACCEPT OK`,
          `2 ${ACCOUNT} ${eni} 10.0.1.5 10.1.0.9 49155 22 6 20 40 ${T} ACCEPT OK`,
        ].join('\n'),
      ),
    );
    // A damaged file: reported, skipped, never fatal.
    await file(
      `${ACCOUNT}_vpcflowlogs_${REGION}_${flowLogId}_${stamp(SINCE + 600)}_deadbeef.log.gz`,
      'not gzip',
    );
    // Another flow log's file in the same folder: not this one's.
    await file(
      `${ACCOUNT}_vpcflowlogs_${REGION}_fl-0someoneelse0000000_${stamp(SINCE + 300)}_ffff.log.gz`,
      gzipSync(`${header}\n2 ${ACCOUNT} ${eni} 10.0.1.5 198.51.100.7 1 2 6 1 123456 ${T} ACCEPT OK`),
    );
  });

  it('sums the bytes that left the instance from both destinations, each flow once, by destination class', async () => {
    const { volume, sources } = await collectFlowVolume(clients, target, WINDOW);
    expect(volume).toMatchObject({
      status: 'known',
      basis: 'instance-interface',
      bytesOut: { internet: 5000, 'aws-service': 700, vpc: 0, 'peered-transit': 40, outsideVpc: 5740 },
    });
    expect(volume.topDestinations[0]).toEqual({ address: '198.51.100.7', class: 'internet', bytes: 5000 });
    expect(sources.map((s) => [s.destination, s.status, s.malformed])).toEqual(
      expect.arrayContaining([
        ['cloud-watch-logs:vpc-flows', 'read', 0],
        ['s3://flow-archive/', 'read', 1],
      ]),
    );
  });

  it('is unknown, never zero, when no flow log covers the instance', async () => {
    const { volume, sources } = await collectFlowVolume(
      clients,
      {
        ...target,
        vpcId: 'vpc-0nologs000000000',
        subnetIds: ['subnet-0nologs00000000'],
        eniIds: ['eni-0nologs0000000000'],
      },
      WINDOW,
    );
    expect(sources).toEqual([]);
    expect(volume).toMatchObject({ status: 'unknown', bytesOut: { outsideVpc: 'unknown' } });
    expect(volume.reason).toMatch(/no flow log covers/);
  });
});
