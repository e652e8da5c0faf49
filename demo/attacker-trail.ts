import { randomUUID } from 'node:crypto';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { createTrailBucket, deliverTrailFile } from '../local-aws/trail-bucket';
import { DEMO_ACCOUNT, DEMO_REGION, type DemoAccount } from './demo-account';
import type { ReachSeed } from './reach-seed';

export const TRAIL_BUCKET = 'acme-cloudtrail-logs';
/** The attacker's own machine (TEST-NET-3, RFC 5737): calls from it are the stolen credentials at work. */
export const ATTACKER_ADDRESS = '203.0.113.66';
const DERIVED_KEY = 'ASIAREPORTSEXPORT0001';
const INSTANCE_KEY = 'ASIAWEBINSTANCEKEY001';

type Record_ = Record<string, unknown>;

/**
 * The scenario's CloudTrail trail: a bucket holding, in CloudTrail's layout, what the attacker did with
 * the web server's credentials. From the instance: reads of customer records (with bytesTransferredOut),
 * the database password, a denied attempt to create an access key. From the attacker's own address with
 * the stolen instance credentials: a GetCallerIdentity, more reads, and an AssumeRole of the reporting
 * role, whose derived key then scans the orders table. A healthy twin's calls (same role, another
 * session) are in the trail too and must not be attributed.
 */
export async function seedAttackerTrail(a: DemoAccount, seed: ReachSeed): Promise<{ records: number }> {
  const s = a.scenario;
  const role = await a.clients.iam.send(new GetRoleCommand({ RoleName: s.roleName }));
  const d = await a.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId, s.twinId] }));
  const instances = (d.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  const web = instances.find((i) => i.InstanceId === s.instanceId);
  const twin = instances.find((i) => i.InstanceId === s.twinId);
  const webIp = web?.PrivateIpAddress ?? '10.0.1.10';
  const launched = web?.LaunchTime?.getTime() ?? Date.now() - 60_000;
  // Every call between the launch (the window's start, taken to the whole second as CloudTrail writes
  // eventTime) and a second ago: the first activity pass already sees them all.
  const first = Math.ceil(launched / 1000) * 1000 + 1000;
  const last = Math.max(first, Date.now() - 1000);
  let n = 0;
  let t = first;
  const next = () => {
    t = first + Math.floor(((last - first) * n) / 10);
    n += 1;
    return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  const roleId = role.Role?.RoleId ?? '';
  const session = (instanceId: string, key: string) => ({
    type: 'AssumedRole',
    principalId: `${roleId}:${instanceId}`,
    arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${s.roleName}/${instanceId}`,
    accountId: DEMO_ACCOUNT,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: role.Role?.Arn,
        accountId: DEMO_ACCOUNT,
        userName: s.roleName,
      },
      attributes: { creationDate: new Date(launched).toISOString(), mfaAuthenticated: 'false' },
      ec2RoleDelivery: '1.0',
    },
  });
  const base = (who: Record_, ip: string, agent: string, o: Record_): Record_ => ({
    eventVersion: '1.09',
    eventID: randomUUID(),
    eventTime: next(),
    awsRegion: DEMO_REGION,
    recipientAccountId: DEMO_ACCOUNT,
    sourceIPAddress: ip,
    userAgent: agent,
    userIdentity: who,
    readOnly: true,
    managementEvent: true,
    eventCategory: 'Management',
    ...o,
  });
  const web_ = session(s.instanceId, INSTANCE_KEY);
  const curl = 'aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2';
  const kali = 'aws-cli/2.17.0 Python/3.12.3 Linux/6.6.9-amd64 exe/x86_64.kali.2024';
  const getObject = (who: Record_, ip: string, agent: string, n: number, bytes: number) =>
    base(who, ip, agent, {
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: seed.customerBucket, key: `exports/customers-2026-11-0${n}.csv` },
      additionalEventData: { bytesTransferredOut: bytes },
      resources: [
        {
          type: 'AWS::S3::Object',
          ARN: `arn:aws:s3:::${seed.customerBucket}/exports/customers-2026-11-0${n}.csv`,
        },
        { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${seed.customerBucket}` },
      ],
    });
  const records: Record_[] = [
    base(web_, webIp, curl, {
      eventSource: 's3.amazonaws.com',
      eventName: 'ListObjects',
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: seed.customerBucket, prefix: 'exports/' },
      resources: [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${seed.customerBucket}` }],
    }),
    getObject(web_, webIp, curl, 1, 1_048_576),
    getObject(web_, webIp, curl, 2, 2_097_152),
    base(web_, webIp, curl, {
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      requestParameters: { secretId: seed.secretArn },
      resources: [{ type: 'AWS::SecretsManager::Secret', ARN: seed.secretArn }],
    }),
    base(web_, webIp, curl, {
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      readOnly: false,
      errorCode: 'AccessDenied',
      errorMessage: 'not authorized to perform: iam:CreateAccessKey',
      requestParameters: { userName: 'backup-admin' },
    }),
    // The instance credentials, copied off the box (IMDSv1), used from the attacker's machine.
    base(web_, ATTACKER_ADDRESS, kali, { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }),
    getObject(web_, ATTACKER_ADDRESS, kali, 3, 4_194_304),
    base(web_, ATTACKER_ADDRESS, kali, {
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: seed.reportsRoleArn, roleSessionName: 'export' },
      responseElements: {
        credentials: { accessKeyId: DERIVED_KEY, expiration: new Date(t + 3600_000).toISOString() },
        assumedRoleUser: {
          assumedRoleId: `${seed.reportsRoleId}:export`,
          arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/reports-export/export`,
        },
      },
      resources: [{ type: 'AWS::IAM::Role', ARN: seed.reportsRoleArn }],
    }),
    base(
      {
        type: 'AssumedRole',
        principalId: `${seed.reportsRoleId}:export`,
        arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/reports-export/export`,
        accountId: DEMO_ACCOUNT,
        accessKeyId: DERIVED_KEY,
      },
      ATTACKER_ADDRESS,
      kali,
      {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'Scan',
        managementEvent: false,
        eventCategory: 'Data',
        requestParameters: { tableName: 'orders' },
        resources: [{ type: 'AWS::DynamoDB::Table', ARN: seed.tableArn }],
      },
    ),
    // The healthy twin: same role, its own session. Not the attacker's.
    base(session(s.twinId, 'ASIATWININSTANCEKEY01'), twin?.PrivateIpAddress ?? '10.0.1.11', curl, {
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: seed.customerBucket, key: 'exports/customers-2026-11-01.csv' },
      additionalEventData: { bytesTransferredOut: 1_048_576 },
    }),
  ];
  await createTrailBucket(a.evidence.s3, TRAIL_BUCKET, DEMO_REGION);
  await deliverTrailFile(
    a.evidence.s3,
    { bucket: TRAIL_BUCKET, account: DEMO_ACCOUNT, region: DEMO_REGION, deliveredAt: new Date(t) },
    records,
  );
  return { records: records.length };
}
