import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetConsoleOutputCommand,
  GetConsoleScreenshotCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { sha256b64 } from '../../../lambdas/core/evidence/checksums';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../lambdas/core/evidence/config';
import { captureContext } from '../../../lambdas/core/evidence/context';

const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evidence/record.json'), 'utf8'));
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const trail = mockClient(CloudTrailClient);
const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const ledger = { ddb: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 't' };
const clients = {
  ec2: new EC2Client({}),
  iam: new IAMClient({}),
  cloudtrail: new CloudTrailClient({}),
  s3: new S3Client({}),
};
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

// moto 5.2.1 answers GetConsoleScreenshot and CloudTrail LookupEvents with an HTML 404; AWS serves both:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleScreenshot.html
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
describe('Function: captureContext', () => {
  beforeEach(() => {
    const fresh = structuredClone(record);
    fresh.preState.instance.instanceProfileArn = 'arn:aws:iam::123456789012:instance-profile/web-profile';
    fresh.preState.network = { enis: [{ eniId: 'eni-1', groupIds: ['sg-1'] }] };
    delete fresh.evidence.contextObjects;
    ddb.on(GetCommand).resolves({ Item: fresh });
    ddb.on(UpdateCommand).resolves({});
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(GetConsoleOutputCommand).resolves({ Output: Buffer.from('login: root').toString('base64') });
    ec2.on(GetConsoleScreenshotCommand).resolves({ ImageData: jpeg.toString('base64') });
    iam
      .on(GetInstanceProfileCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }));
    trail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [{ EventName: 'ListBuckets' }], NextToken: 'n1' })
      .resolvesOnce({ Events: [{ EventName: 'GetObject' }] });
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
  });
  afterEach(() => {
    for (const m of [ec2, iam, trail, s3, ddb]) m.reset();
  });

  it('locks each capture with its SHA-256 and records a failed one as unavailable without failing', async () => {
    // Act
    const objects = await captureContext(clients, ledger, record.quarantineId, {
      ...DEFAULT_EVIDENCE_CONFIG,
      vaultBucket: 'vault',
    });
    // Assess
    const byName = Object.fromEntries(objects.map((o) => [o.name, o]));
    expect(byName['iam-role']).toMatchObject({
      status: 'unavailable',
      detail: expect.stringMatching(/^AccessDenied/),
    });
    expect(byName['console-screenshot']).toMatchObject({
      status: 'captured',
      sha256: sha256b64(jpeg),
      key: expect.stringMatching(/context\/console-screenshot\.jpg$/),
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: byName['console-screenshot']?.key,
      ObjectLockMode: 'COMPLIANCE',
    });
    expect(objects.filter((o) => o.status === 'captured')).toHaveLength(8);
  });

  it("reads the role session's recent CloudTrail events, every page, by the instance id", async () => {
    await captureContext(clients, ledger, record.quarantineId, {
      ...DEFAULT_EVIDENCE_CONFIG,
      vaultBucket: 'vault',
    });
    expect(trail).toHaveReceivedCommandTimes(LookupEventsCommand, 2);
    expect(trail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: record.instance.instanceId }],
      NextToken: 'n1',
    });
  });
});
