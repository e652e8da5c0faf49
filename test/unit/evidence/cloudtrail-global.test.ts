import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { globalEventsRegion } from '../../../lambdas/core/evidence/cloudtrail-capture';
import { DEFAULT_EVIDENCE_CONFIG } from '../../../lambdas/core/evidence/config';
import { captureContext } from '../../../lambdas/core/evidence/context';

const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evidence/record.json'), 'utf8'));
const ledger = { ddb: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 't' };
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
// One client per Region, each mocked on its own: the instance's Region and the Region CloudTrail
// records IAM and STS (global service) events in.
const regional = new CloudTrailClient({ region: 'eu-west-1' });
const global = new CloudTrailClient({ region: 'us-east-1' });
const inRegion = mockClient(regional);
const inUsEast1 = mockClient(global);
const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 16, m));

/** The body of the cloudtrail capture as it was locked into the vault. */
function capturedTrail() {
  const put = s3
    .commandCalls(PutObjectCommand)
    .find((c) => String(c.args[0].input.Key).endsWith('context/cloudtrail.json'));
  return JSON.parse(String(put?.args[0].input.Body)) as {
    regions: string[];
    events: { EventId: string; EventName: string }[];
  };
}

// Since November 2021 CloudTrail records IAM and STS (global endpoint) events in us-east-1 only; a
// lookup in any other Region does not return them.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
describe('CloudTrail context capture: global service events', () => {
  beforeEach(() => {
    const fresh = structuredClone(record);
    delete fresh.evidence.contextObjects;
    ddb.on(GetCommand).resolves({ Item: fresh });
    ddb.on(UpdateCommand).resolves({});
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
    inRegion.on(LookupEventsCommand).resolves({
      Events: [
        { EventId: 'e-ec2', EventName: 'RunInstances', EventTime: at(2) },
        { EventId: 'e-s3', EventName: 'ListBuckets', EventTime: at(1) },
      ],
    });
    inUsEast1.on(LookupEventsCommand).resolves({
      Events: [
        { EventId: 'e-iam', EventName: 'CreateAccessKey', EventTime: at(3) },
        { EventId: 'e-sts', EventName: 'AssumeRole', EventTime: at(0) },
      ],
    });
  });
  afterEach(() => {
    for (const m of [ddb, s3, inRegion, inUsEast1]) m.reset();
  });

  it("also reads the instance session's IAM and STS events in us-east-1 and merges them by time", async () => {
    await captureContext(
      {
        ec2: new EC2Client({}),
        iam: new IAMClient({}),
        s3: new S3Client({}),
        cloudtrail: regional,
        globalCloudTrail: global,
      },
      ledger,
      record.quarantineId,
      { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: 'vault' },
    );
    expect(inUsEast1).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: record.instance.instanceId }],
    });
    const trail = capturedTrail();
    expect(trail.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(trail.events.map((e) => e.EventName)).toEqual([
      'AssumeRole',
      'ListBuckets',
      'RunInstances',
      'CreateAccessKey',
    ]);
  });

  it('records an event both lookups return once', async () => {
    inUsEast1.on(LookupEventsCommand).resolves({
      Events: [{ EventId: 'e-ec2', EventName: 'RunInstances', EventTime: at(2) }],
    });
    await captureContext(
      {
        ec2: new EC2Client({}),
        iam: new IAMClient({}),
        s3: new S3Client({}),
        cloudtrail: regional,
        globalCloudTrail: global,
      },
      ledger,
      record.quarantineId,
      { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: 'vault' },
    );
    expect(capturedTrail().events.map((e) => e.EventId)).toEqual(['e-s3', 'e-ec2']);
  });

  it('keeps the Regional events when the us-east-1 lookup fails, and says so', async () => {
    inUsEast1
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await captureContext(
      {
        ec2: new EC2Client({}),
        iam: new IAMClient({}),
        s3: new S3Client({}),
        cloudtrail: regional,
        globalCloudTrail: global,
      },
      ledger,
      record.quarantineId,
      { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: 'vault' },
    );
    const trail = capturedTrail() as ReturnType<typeof capturedTrail> & { failedRegions?: unknown };
    expect(trail.events.map((e) => e.EventId)).toEqual(['e-s3', 'e-ec2']);
    expect(trail.failedRegions).toEqual({ 'us-east-1': expect.stringMatching(/^AccessDeniedException/) });
  });
});

describe('Function: globalEventsRegion', () => {
  it.each([
    ['eu-west-1', 'us-east-1'],
    ['us-east-1', 'us-east-1'],
    ['cn-northwest-1', 'cn-north-1'],
    ['us-gov-east-1', 'us-gov-west-1'],
  ])('names the Region that holds global service events for %s: %s', (region, expected) => {
    expect(globalEventsRegion(region)).toBe(expected);
  });
});
