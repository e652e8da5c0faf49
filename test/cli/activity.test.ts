import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ActivityReport } from '../../lambdas/core/investigation/activity/report';
import {
  assumedIdentity,
  assumeRole,
  getObject,
  INSTANCE_IP,
  instanceIdentity,
  logKey,
  PRINCIPAL,
  record,
  writeTrail,
} from '../unit/investigation/trail-fixtures';
import { lastJson, runCli } from './run-cli';

const admin = assumedIdentity('admin', 'AROAADMINROLEID00001', 'ASIAADMINKEY00000001');
const root = writeTrail({
  [logKey('eu-west-1', '2026-11-29T21:05:00Z')]: [
    getObject(instanceIdentity(), 'customer-data', 'records/1.csv', 2048),
    record({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'evil\u001b[31m-agent',
      requestParameters: { secretId: 'prod/db' },
    }),
  ],
  [logKey('us-east-1', '2026-11-29T21:10:00Z')]: [
    assumeRole(
      instanceIdentity(),
      'admin',
      'AROAADMINROLEID00001',
      'ASIAADMINKEY00000001',
      '2026-11-29T21:06:00Z',
    ),
    record({
      userIdentity: admin,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      requestParameters: { userName: 'backup' },
      eventTime: '2026-11-29T21:08:00Z',
    }),
  ],
  [logKey('eu-west-1', '2026-11-29T21:15:00Z', 9)]: Buffer.from('{"Records": ['),
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
const base = [
  'activity',
  '--trail-dir',
  root,
  '--principal-id',
  PRINCIPAL,
  '--since',
  '2026-11-29T00:00:00Z',
  '--until',
  '2026-11-30T00:00:00Z',
];

describe('sequester activity', () => {
  it('prints the activity report of the session as JSON in the documented shape', async () => {
    // Act
    const run = await runCli([...base, '--instance-address', INSTANCE_IP, '--json']);
    // Assess
    expect(run.code).toBe(0);
    const report = ActivityReport.parse(lastJson(run));
    expect(report).toMatchObject({
      principalId: PRINCIPAL,
      window: { since: '2026-11-29T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' },
      coverage: { regions: ['eu-west-1', 'us-east-1'], files: 2 },
      events: 4,
      derivedSessions: [
        { accessKeyId: 'ASIAADMINKEY00000001', via: 'AssumeRole', eventTime: '2026-11-29T21:06:00Z' },
      ],
      origins: { instance: 3, 'aws-service': 0, other: 1 },
      other: [{ eventName: 'GetSecretValue', sourceIPAddress: '198.51.100.7' }],
      persistence: [{ eventName: 'CreateAccessKey', target: 'backup' }],
    });
    expect(report.coverage.filesMalformed).toHaveLength(1);
    expect(report.touched.map((t) => t.resource)).toEqual([
      'arn:aws:s3:::customer-data/records/1.csv',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db',
    ]);
  });

  it('prints a readable report with escaped attacker-chosen text without --json', async () => {
    // Act
    const run = await runCli([...base, '--instance-address', INSTANCE_IP]);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Touched data');
    expect(run.stdout).toContain('arn:aws:s3:::customer-data/records/1.csv');
    expect(run.stdout).toContain('malformed: AWSLogs/');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('exits 2 naming --principal-id when it is not <role id>:<instance id>', async () => {
    // Act
    const run = await runCli(['activity', '--trail-dir', root, '--principal-id', 'AIDAUSER:bob']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--principal-id');
  });

  it('exits 2 naming --instance-address and --trail-dir for bad values', async () => {
    // Act
    const badIp = await runCli([...base, '--instance-address', '10.0.0.999']);
    const badDir = await runCli(['activity', '--trail-dir', `${root}/missing`, '--principal-id', PRINCIPAL]);
    // Assess
    expect([badIp.code, badDir.code]).toEqual([2, 2]);
    expect(badIp.stderr).toContain('--instance-address');
    expect(badDir.stderr).toContain('--trail-dir');
  });

  it('exits 2 naming --until when the window ends before it starts', async () => {
    // Act
    const run = await runCli([
      'activity',
      '--trail-dir',
      root,
      '--principal-id',
      PRINCIPAL,
      '--since',
      '2026-11-30T00:00:00Z',
      '--until',
      '2026-11-29T00:00:00Z',
    ]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--until');
  });

  it('--flow-dir adds the bytes that left the instance from a copy of S3 flow logs, against the S3 bytes read', async () => {
    // Prepare: one flow log file of the window (default format, header line), one damaged file.
    const dir = mkdtempSync(join(tmpdir(), 'sequester-flows-'));
    const day = join(dir, 'AWSLogs', '111122223333', 'vpcflowlogs', 'eu-west-1', '2026', '11', '29');
    mkdirSync(day, { recursive: true });
    const t = `${Date.parse('2026-11-29T21:05:00Z') / 1000} ${Date.parse('2026-11-29T21:06:00Z') / 1000}`;
    const name = (stamp: string, hash: string) =>
      join(day, `111122223333_vpcflowlogs_eu-west-1_fl-0abc_${stamp}_${hash}.log.gz`);
    writeFileSync(
      name('20261129T2110Z', 'a1'),
      gzipSync(
        [
          'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
          `2 111122223333 eni-0a ${INSTANCE_IP} 198.51.100.7 49152 443 6 20 9000 ${t} ACCEPT OK`,
          `2 111122223333 eni-0a ${INSTANCE_IP} 10.0.2.9 49153 5432 6 20 300 ${t} ACCEPT OK`,
        ].join('\n'),
      ),
    );
    writeFileSync(name('20261129T2115Z', 'b2'), 'not gzip');
    // Act
    const run = await runCli([
      ...base,
      '--instance-address',
      INSTANCE_IP,
      '--flow-dir',
      dir,
      '--vpc-cidr',
      '10.0.0.0/16',
      '--json',
    ]);
    rmSync(dir, { recursive: true, force: true });
    // Assess: 2 KiB read from S3, 9000 bytes left for the internet: more left than was read.
    expect(run.code).toBe(0);
    expect((lastJson(run) as { flows: unknown }).flows).toMatchObject({
      files: 1,
      malformed: [expect.objectContaining({ file: expect.stringContaining('b2.log.gz') })],
      volume: { status: 'known', bytesOut: { internet: 9000, vpc: 300, outsideVpc: 9000 } },
      s3BytesRead: 2048,
      comparison: 'egress-exceeds-read',
    });
  });
});
