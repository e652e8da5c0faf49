import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ATTACKER_ADDRESS } from './attacker-trail';
import { DEMO_ACCOUNT, type DemoAccount } from './demo-account';

export const FLOW_LOG_GROUP = 'acme-vpc-flow-logs';
/** What the web server sent to the attacker's machine before the cut (the flow log says so). */
export const EXFILTRATED_BYTES = 3_407_872;

/**
 * The scenario's VPC flow log, delivered to CloudWatch Logs (one stream per interface, the default
 * version 2 format): the web server's primary ENI sending 3.25 MiB to the attacker's address over TLS
 * and a little to a neighbour inside the VPC, in the minute before the quarantine. moto stores the flow
 * log but never delivers records, so they are written where AWS would write them. Seeded after the
 * trail: the records end after the attacker's first call, so they fall inside the flow window.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export async function seedFlowLog(a: DemoAccount): Promise<{ flowLogId: string; records: number }> {
  const s = a.scenario;
  const d = await a.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
  const primary = d.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.find(
    (n) => n.Attachment?.DeviceIndex === 0,
  );
  const eni = primary?.NetworkInterfaceId ?? '';
  const ip = primary?.PrivateIpAddress ?? '';
  const logs = new CloudWatchLogsClient(a.opts);
  await logs.send(new CreateLogGroupCommand({ logGroupName: FLOW_LOG_GROUP }));
  const created = await a.clients.ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: [s.vpcId],
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: FLOW_LOG_GROUP,
      DeliverLogsPermissionArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/vpc-flow-logs-delivery`,
    }),
  );
  const end = Math.ceil(Date.now() / 1000);
  const start = end - 60;
  const line = (dst: string, port: number, packets: number, bytes: number) =>
    `2 ${DEMO_ACCOUNT} ${eni} ${ip} ${dst} 51514 ${port} 6 ${packets} ${bytes} ${start} ${end} ACCEPT OK`;
  const messages = [
    line(ATTACKER_ADDRESS, 443, 2400, EXFILTRATED_BYTES),
    line('10.20.1.250', 5432, 12, 4_096),
  ];
  const stream = `${eni}-all`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: FLOW_LOG_GROUP, logStreamName: stream }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: FLOW_LOG_GROUP,
      logStreamName: stream,
      logEvents: messages.map((message) => ({ timestamp: start * 1000, message })),
    }),
  );
  return { flowLogId: created.FlowLogIds?.[0] ?? '', records: messages.length };
}
