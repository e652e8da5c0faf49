import { gunzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import type { InvestigationOutcome } from '../../lambdas/core/investigation/outcome';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import type { QuarantineRecord } from '../../lambdas/core/ledger/record';
import { buildScenario } from '../../local-aws/scenario';
import { createTrailBucket, deliverTrailFile } from '../../local-aws/trail-bucket';
import {
  type EvidenceEnv,
  freshEvidenceEnv,
  isolateForEvidence,
  setEvidenceHandlerEnv,
} from '../support/evidence-env';
import { asRole, REGION } from '../support/moto';

const ACCOUNT = '123456789012';
const TRAIL = 'org-trail-logs';
const FLOW_GROUP = 'vpc-flow-logs';

/** The instance's ENI and the network cut, as isolation recorded them. */
interface Recorded {
  readonly eniId: string;
  readonly address: string;
  readonly cutS: number;
}

/**
 * The instance's ENI flow log in CloudWatch Logs (default version 2 format, one stream per interface as
 * AWS names them): 5000 bytes to an outside address and 300 inside the VPC before the cut, and 99999
 * bytes two hours before the launch (outside the window). moto stores the flow log but never delivers
 * records: the test writes them where DescribeFlowLogs says they are.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 */
async function deliverFlowRecords(e: EvidenceEnv, r: Recorded): Promise<string> {
  const logs = new CloudWatchLogsClient(e.opts);
  await logs.send(new CreateLogGroupCommand({ logGroupName: FLOW_GROUP }));
  const created = await e.env.clients.ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'NetworkInterface',
      ResourceIds: [r.eniId],
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: FLOW_GROUP,
      DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs-delivery`,
    }),
  );
  const stream = `${r.eniId}-all`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: FLOW_GROUP, logStreamName: stream }));
  const line = (dst: string, bytes: number, start: number) =>
    `2 ${ACCOUNT} ${r.eniId} ${r.address} ${dst} 49152 443 6 10 ${bytes} ${start} ${start + 60} ACCEPT OK`;
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: FLOW_GROUP,
      logStreamName: stream,
      logEvents: [
        line('198.51.100.7', 99999, r.cutS - 7200),
        line('198.51.100.7', 5000, r.cutS - 60),
        line('10.20.2.9', 300, r.cutS - 60),
      ].map((message) => ({ timestamp: Number(message.split(' ')[10]) * 1000, message })),
    }),
  );
  return created.FlowLogIds?.[0] as string;
}

/** A CloudTrail record of the instance session (or another one), as CloudTrail writes it. */
function record(principalId: string, o: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventID: `${Math.random()}`,
    awsRegion: REGION,
    recipientAccountId: ACCOUNT,
    userAgent: '[aws-cli/2.15.0]',
    userIdentity: {
      type: 'AssumedRole',
      principalId,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/${principalId.split(':')[1]}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      sessionContext: { ec2RoleDelivery: '1.0' },
    },
    ...o,
  };
}

/**
 * The activity and reach task handlers, each with its own role, against moto behind the IAM enforcer:
 * what they write into the vault (locked, hashed), what they record in the ledger, and what they do
 * when the trail or the flow log cannot be read.
 */
describe('investigation task handlers against moto', () => {
  let e: EvidenceEnv;
  let quarantineId: string;
  let principalId: string;
  let instanceId: string;
  let flowLogId: string;
  beforeAll(async () => {
    e = await freshEvidenceEnv('investigation-vault');
    setEvidenceHandlerEnv(e, { TRAIL_BUCKETS: TRAIL, COVERED_REGIONS: REGION });
    const { env } = e;
    const s = await buildScenario(env.clients, { name: 'web' });
    instanceId = s.instanceId;
    // The web role reads a tagged customer-data bucket: reachable before isolation, not after.
    await e.ev.s3.send(
      new CreateBucketCommand({
        Bucket: 'customer-data',
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    await e.ev.s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'customer-data',
        Tagging: { TagSet: [{ Key: 'data-classification', Value: 'customer' }] },
      }),
    );
    await env.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: s.roleName,
        PolicyName: 'read-customer-data',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:ListBucket'],
              Resource: ['arn:aws:s3:::customer-data', 'arn:aws:s3:::customer-data/*'],
            },
          ],
        }),
      }),
    );
    const role = await env.clients.iam.send(new GetRoleCommand({ RoleName: s.roleName }));
    principalId = `${role.Role?.RoleId}:${s.instanceId}`;
    quarantineId = await isolateForEvidence(env, s.instanceId, 'INC-13');
    const isolated = (await getQuarantine(env.ledger, quarantineId)) as QuarantineRecord;
    const network = isolated.preState.network as { enis: Array<{ eniId: string; privateIpv4: string[] }> };
    const eni = network.enis[0];
    flowLogId = await deliverFlowRecords(e, {
      eniId: eni?.eniId ?? '',
      address: eni?.privateIpv4[0] ?? '',
      cutS: Math.ceil(Date.parse(isolated.networkCutAt ?? '') / 1000),
    });
    await createTrailBucket(e.ev.s3, TRAIL, REGION);
    // The calls happen after the launch (the window's start) and before the step runs (its end).
    await new Promise((r) => setTimeout(r, 1500));
    const now = Date.now();
    const at = (secondsAgo: number) =>
      new Date(now - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await deliverTrailFile(
      e.ev.s3,
      { bucket: TRAIL, account: ACCOUNT, region: REGION, deliveredAt: new Date(now) },
      [
        record(principalId, {
          eventTime: at(0),
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          eventCategory: 'Data',
          sourceIPAddress: '198.51.100.7',
          requestParameters: { bucketName: 'customer-data', key: 'records/1.csv' },
          additionalEventData: { bytesTransferredOut: 2048 },
          resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::customer-data/records/1.csv' }],
        }),
        record(principalId, {
          eventTime: at(0),
          eventSource: 'secretsmanager.amazonaws.com',
          eventName: 'GetSecretValue',
          sourceIPAddress: '198.51.100.7',
          requestParameters: { secretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf` },
        }),
        // The twin instance shares the role: its session is another principal, never attributed.
        record(principalId.replace(/:i-.*/, `:${s.twinId}`), {
          eventTime: at(0),
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          sourceIPAddress: '10.0.0.9',
        }),
      ],
    );
  }, 240_000);

  it('writes activity-initial.json and the attributed records locked into the vault and records the pass', async () => {
    // Act
    const activity = asRole(
      'investigate-activity',
      (await import('../../lambdas/handlers/investigate-activity')).handler,
    );
    const outcome = await activity({ quarantineId, pass: 'initial' });
    const again = await activity({ quarantineId, pass: 'initial' });
    // Assess
    expect(e.env.enforcer.denials).toEqual([]);
    expect(outcome).toMatchObject({ status: 'written', summary: { events: 2, touched: 2, other: 2 } });
    expect(again).toEqual(outcome);
    expect(outcome.objects.map((o) => o.name)).toEqual([
      'activity-initial.json',
      'activity-initial-records.json.gz',
      'flows-initial.json',
    ]);
    const [report, raw] = outcome.objects;
    const head = await e.ev.s3.send(
      new HeadObjectCommand({
        Bucket: e.vault.bucket,
        Key: report?.key,
        VersionId: report?.versionId,
        ChecksumMode: 'ENABLED',
      }),
    );
    expect([head.ObjectLockMode, head.ChecksumSHA256]).toEqual(['COMPLIANCE', report?.sha256]);
    const body = await e.ev.s3.send(new GetObjectCommand({ Bucket: e.vault.bucket, Key: raw?.key }));
    const records = JSON.parse(
      gunzipSync((await body.Body?.transformToByteArray()) ?? new Uint8Array()).toString(),
    ) as {
      Records: Array<{ userIdentity: { principalId: string } }>;
    };
    expect(records.Records.map((r) => r.userIdentity.principalId)).toEqual([principalId, principalId]);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    expect(rec?.activity?.initial).toEqual(outcome);
    expect(rec?.actions.filter((a) => a.step === 'investigate-activity:initial')).toHaveLength(1);
  }, 120_000);

  it('seals the bytes that left the instance before the cut from its flow log in CloudWatch Logs, against the S3 bytes read', async () => {
    // Act: the pass above ran with the instance's ENI flow log in CloudWatch Logs.
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    const initial = rec?.activity?.initial;
    const flows = initial?.objects.find((o) => o.name === 'flows-initial.json');
    const got = await e.ev.s3.send(
      new GetObjectCommand({
        Bucket: e.vault.bucket,
        Key: flows?.key,
        VersionId: flows?.versionId,
        ChecksumMode: 'ENABLED',
      }),
    );
    const body = JSON.parse((await got.Body?.transformToString()) ?? '{}');
    // Assess
    expect(e.env.enforcer.denials).toEqual([]);
    expect([got.ObjectLockMode, got.ChecksumSHA256]).toEqual(['COMPLIANCE', flows?.sha256]);
    expect(initial?.summary).toMatchObject({
      flowStatus: 'known',
      flowBytesOut: 5000,
      flowBytesToInternet: 5000,
      egressCheck: 'egress-exceeds-read',
    });
    expect(rec?.actions.filter((a) => a.step === 'investigate-flows:initial')).toEqual([
      expect.objectContaining({ outcome: 'ok', detail: expect.objectContaining({ flowBytesOut: 5000 }) }),
    ]);
    expect(body.window).toMatchObject({ until: rec?.networkCutAt, untilBasis: 'network cut' });
    expect(body.sources).toEqual([
      expect.objectContaining({ flowLogId, destination: `cloud-watch-logs:${FLOW_GROUP}`, status: 'read' }),
    ]);
    expect(body.volume).toMatchObject({
      status: 'known',
      bytesOut: { internet: 5000, vpc: 300, outsideVpc: 5000 },
      topDestinations: [{ address: '198.51.100.7', class: 'internet', bytes: 5000 }, expect.anything()],
    });
    expect(body.egress).toEqual({
      s3BytesRead: 2048,
      bytesOutsideVpc: 5000,
      bytesToInternet: 5000,
      bytesToAwsServices: 0,
      comparison: 'egress-exceeds-read',
      mismatch: true,
    });
  }, 60_000);

  it("fills the report's flow volume from the sealed object, and leaves it out when its SHA-256 differs", async () => {
    // Prepare
    const { gatherInputs } = await import('../../lambdas/core/report/gather-inputs');
    const { buildReport } = await import('../../lambdas/core/report/build');
    const rec = (await getQuarantine(e.env.ledger, quarantineId)) as QuarantineRecord;
    const config = { organisation: 'Example Corp', jurisdictions: [] };
    const flows = rec.activity?.initial?.objects.find((o) => o.name === 'flows-initial.json');
    const tampered = {
      ...rec,
      activity: {
        initial: {
          ...(rec.activity?.initial as InvestigationOutcome),
          objects: (rec.activity?.initial?.objects ?? []).map((o) =>
            o === flows ? { ...o, sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' } : o,
          ),
        },
      },
    };
    // Act
    const good = await gatherInputs(e.ev.s3, e.vault.bucket, rec, config, new Date());
    const bad = await gatherInputs(e.ev.s3, e.vault.bucket, tampered, config, new Date());
    // Assess
    expect(good.inputs.flowVolume).toMatchObject({
      object: flows,
      window: { until: rec.networkCutAt },
      body: { status: 'known', bytesOut: { outsideVpc: 5000 } },
    });
    expect(buildReport(good.inputs).exfiltration).toMatchObject({
      s3BytesRead: 2048,
      bytesOutsideVpc: 5000,
      comparison: 'egress-exceeds-read',
      disagreement: true,
    });
    expect(bad.inputs.flowVolume).toBeUndefined();
    expect(bad.mismatches).toEqual([expect.stringContaining('flows-initial.json')]);
  }, 60_000);

  it('finds the role reading the tagged bucket before isolation and nothing after, and seals reach.json', async () => {
    // Act
    const reach = asRole(
      'investigate-reach',
      (await import('../../lambdas/handlers/investigate-reach')).handler,
    );
    const outcome = await reach({ quarantineId });
    // Assess
    expect(e.env.enforcer.denials).toEqual([]);
    expect(outcome).toMatchObject({
      status: 'written',
      summary: {
        storesReachableBeforeIsolation: 1,
        storesReachableAfterIsolation: 0,
        classifiedReachable: 1,
      },
    });
    expect(outcome.objects.map((o) => o.name)).toEqual(['reach-authz.json', 'reach.json']);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    expect(rec?.reach).toEqual(outcome);
    expect(rec?.actions.filter((a) => a.outcome === 'alarm' && a.step === 'reach-after-isolation')).toEqual(
      [],
    );
  }, 120_000);

  it('records the late pass beside the first, and an unreadable trail as unavailable, never as an error', async () => {
    // Prepare: the trail bucket is gone (deleted, or the bucket policy changed).
    const { runActivityStep } = await import('../../lambdas/core/investigation/activity/activity-step');
    const { S3TrailSource } = await import('../../lambdas/core/investigation/activity/s3-source');
    const { evidenceConfig } = await import('../../lambdas/core/evidence/env-config');
    const missing = new S3TrailSource(e.ev.s3, 'no-such-trail-bucket');
    // ... and the flow log is gone too.
    await e.env.clients.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [flowLogId] }));
    // Act
    const late = await runActivityStep(
      {
        ledger: e.env.ledger,
        vault: e.ev.s3,
        instance: { iam: e.env.clients.iam, ec2: e.env.clients.ec2 },
        trail: { source: missing, options: async () => ({}) },
        lookups: () => [],
        flows: { ec2: e.env.clients.ec2, logs: new CloudWatchLogsClient(e.opts), s3: e.ev.s3 },
      },
      (await getQuarantine(e.env.ledger, quarantineId)) as QuarantineRecord,
      'late',
      evidenceConfig(),
    );
    // Assess
    expect(late).toMatchObject({
      status: 'unavailable',
      summary: { flowStatus: 'unknown', flowBytesOut: 'unknown' },
      detail: expect.stringMatching(/NoSuchBucket.*flows: no flow log covers the instance/),
    });
    expect(late.objects.map((o) => o.name)).toEqual(['flows-late.json']);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    expect(rec?.activity?.late).toEqual(late);
    expect(rec?.activity?.initial?.status).toBe('written');
    expect(instanceId).toMatch(/^i-/);
  }, 120_000);
});
