import { rmSync } from 'node:fs';
import { collectActivity } from '../../../lambdas/core/investigation/activity/collect';
import { LocalTrailSource } from '../../../lambdas/core/investigation/activity/local-source';
import { originOf } from '../../../lambdas/core/investigation/activity/origin';
import { persistenceOf } from '../../../lambdas/core/investigation/activity/persistence';
import { CloudTrailRecord } from '../../../lambdas/core/investigation/activity/record';
import { inWindow } from '../../../lambdas/core/investigation/activity/scan';
import { touchesOf } from '../../../lambdas/core/investigation/activity/touched';
import {
  getObject,
  INSTANCE_IP,
  instanceIdentity,
  logKey,
  PRINCIPAL,
  record,
  writeTrail,
} from './trail-fixtures';

const WINDOW = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };
const parse = (r: unknown) => CloudTrailRecord.parse(r);
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('Function: originOf', () => {
  const addresses = new Set([INSTANCE_IP, '2001:db8::23']);

  it('is instance for one of the instance addresses, IPv6 in any spelling', () => {
    expect(originOf(parse(record({ sourceIPAddress: INSTANCE_IP })), addresses)).toBe('instance');
    expect(originOf(parse(record({ sourceIPAddress: '2001:DB8:0:0:0:0:0:23' })), addresses)).toBe('instance');
  });

  it('is aws-service for AWS Internal, a service host name, or an invokedBy identity', () => {
    expect(originOf(parse(record({ sourceIPAddress: 'AWS Internal' })), addresses)).toBe('aws-service');
    expect(originOf(parse(record({ sourceIPAddress: 'athena.amazonaws.com' })), addresses)).toBe(
      'aws-service',
    );
    const invoked = record({ sourceIPAddress: '3.5.140.2' });
    invoked.userIdentity = { ...instanceIdentity(), invokedBy: 'cloudformation.amazonaws.com' };
    expect(originOf(parse(invoked), addresses)).toBe('aws-service');
  });

  it('is other for another address, IPv6 included', () => {
    expect(originOf(parse(record({ sourceIPAddress: '198.51.100.7' })), addresses)).toBe('other');
    expect(originOf(parse(record({ sourceIPAddress: '2001:db8::99' })), addresses)).toBe('other');
  });
});

describe('Function: touchesOf', () => {
  it('takes the object ARN from resources and the bytes from additionalEventData', () => {
    expect(touchesOf(parse(getObject(instanceIdentity(), 'b', 'k/1.csv', 42)))).toEqual([
      {
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        resource: 'arn:aws:s3:::b/k/1.csv',
        bytesTransferredOut: 42,
      },
    ]);
  });

  it('builds the secret, parameter and table ARNs from request parameters', () => {
    const secret = record({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      requestParameters: { secretId: 'prod/db' },
    });
    const params = record({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameters',
      requestParameters: { names: ['/app/key', 'plain'], withDecryption: true },
    });
    const scan = record({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'Scan',
      requestParameters: { tableName: 'customers' },
    });
    expect(touchesOf(parse(secret)).map((t) => t.resource)).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db',
    ]);
    expect(touchesOf(parse(params)).map((t) => t.resource)).toEqual([
      'arn:aws:ssm:eu-west-1:123456789012:parameter/app/key',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/plain',
    ]);
    expect(touchesOf(parse(scan)).map((t) => t.resource)).toEqual([
      'arn:aws:dynamodb:eu-west-1:123456789012:table/customers',
    ]);
  });

  it('counts KMS data keys and snapshot sharing, and ignores reads of metadata', () => {
    const kms = record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      requestParameters: { keyId: 'alias/app', keySpec: 'AES_256' },
      resources: [
        {
          accountId: '123456789012',
          type: 'AWS::KMS::Key',
          ARN: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      ],
    });
    const share = record({
      eventName: 'ModifySnapshotAttribute',
      requestParameters: { snapshotId: 'snap-0123456789abcdef0', attributeType: 'CREATE_VOLUME_PERMISSION' },
    });
    expect(touchesOf(parse(kms)).map((t) => t.resource)).toEqual([
      'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
    expect(touchesOf(parse(share)).map((t) => t.resource)).toEqual([
      'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0',
    ]);
    expect(touchesOf(parse(record({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' })))).toEqual(
      [],
    );
  });
});

describe('Function: persistenceOf', () => {
  it('names the target of new keys, policies, trust changes, key pairs, user data and Lambda code', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        {
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateAccessKey',
          requestParameters: { userName: 'backup' },
        },
        'backup',
      ],
      [
        {
          eventSource: 'iam.amazonaws.com',
          eventName: 'PutRolePolicy',
          requestParameters: { roleName: 'web', policyName: 'x' },
        },
        'web/x',
      ],
      [
        {
          eventSource: 'iam.amazonaws.com',
          eventName: 'UpdateAssumeRolePolicy',
          requestParameters: { roleName: 'admin' },
        },
        'admin',
      ],
      [{ eventName: 'ImportKeyPair', requestParameters: { keyName: 'k' } }, 'k'],
      [
        {
          eventName: 'ModifyInstanceAttribute',
          requestParameters: { instanceId: 'i-0abc1234def567890', userData: '<sensitiveDataRemoved>' },
        },
        'i-0abc1234def567890',
      ],
      [
        {
          eventSource: 'lambda.amazonaws.com',
          eventName: 'UpdateFunctionCode20150331v2',
          requestParameters: { functionName: 'f' },
        },
        'f',
      ],
    ];
    for (const [fields, target] of cases) expect(persistenceOf(parse(record(fields)))?.target).toBe(target);
  });

  it('ignores ModifyInstanceAttribute that does not set user data', () => {
    const r = record({
      eventName: 'ModifyInstanceAttribute',
      requestParameters: { instanceId: 'i-0abc1234def567890', groupSet: {} },
    });
    expect(persistenceOf(parse(r))).toBeUndefined();
  });
});

describe('Function: collectActivity (trail files)', () => {
  it('reads organisation-trail paths in every account and region', async () => {
    // Prepare
    const root = writeTrail({
      [logKey('eu-west-1', '2026-11-29T10:05:00Z', 0, 'o-a1b2c3d4e5')]: [record({})],
      [logKey('ap-southeast-2', '2026-11-29T10:05:00Z', 1, 'o-a1b2c3d4e5', '210987654321')]: [
        record({ recipientAccountId: '210987654321' }),
      ],
    });
    roots.push(root);
    // Act
    const report = await collectActivity(new LocalTrailSource(root), { principalId: PRINCIPAL, ...WINDOW });
    // Assess
    expect(report.coverage.regions).toEqual(['ap-southeast-2', 'eu-west-1']);
    expect(report.coverage.accounts).toEqual(['123456789012', '210987654321']);
    expect(report.events).toBe(2);
  });

  it('reports and skips a malformed file without failing', async () => {
    // Prepare
    const root = writeTrail({
      [logKey('eu-west-1', '2026-11-29T10:05:00Z', 0)]: [record({})],
      [logKey('eu-west-1', '2026-11-29T10:10:00Z', 1)]: Buffer.from('not gzip at all'),
      [logKey('eu-west-1', '2026-11-29T10:15:00Z', 2)]: Buffer.from(''),
    });
    roots.push(root);
    // Act
    const report = await collectActivity(new LocalTrailSource(root), { principalId: PRINCIPAL, ...WINDOW });
    // Assess
    expect(report.events).toBe(1);
    expect(report.coverage.files).toBe(1);
    expect(report.coverage.filesMalformed.map((m) => m.key)).toEqual([
      logKey('eu-west-1', '2026-11-29T10:10:00Z', 1),
      logKey('eu-west-1', '2026-11-29T10:15:00Z', 2),
    ]);
  });

  it('groups touched data, sums bytes, counts origins and infers that data events are logged', async () => {
    // Prepare
    const root = writeTrail({
      [logKey('eu-west-1', '2026-11-29T10:05:00Z')]: [
        getObject(instanceIdentity(), 'customer-data', 'a.csv', 100),
        getObject(instanceIdentity(), 'customer-data', 'a.csv', 50, { sourceIPAddress: '2001:db8::99' }),
        getObject(instanceIdentity('ASIAINSTANCEKEY00001', undefined, '1.0'), 'customer-data', 'b.csv', 7),
      ],
    });
    roots.push(root);
    // Act
    const report = await collectActivity(new LocalTrailSource(root), {
      principalId: PRINCIPAL,
      ...WINDOW,
      instanceAddresses: [INSTANCE_IP],
    });
    // Assess
    expect(report.touched.map((t) => [t.resource, t.count, t.bytesTransferredOut])).toEqual([
      ['arn:aws:s3:::customer-data/a.csv', 2, 150],
      ['arn:aws:s3:::customer-data/b.csv', 1, 7],
    ]);
    expect(report.origins).toEqual({ instance: 2, 'aws-service': 0, other: 1 });
    expect(report.other[0]?.sourceIPAddress).toBe('2001:db8::99');
    expect(report.ec2RoleDelivery).toEqual({ '2.0': 2, '1.0': 1 });
    expect(report.coverage.dataEvents).toMatchObject({
      enabled: true,
      basis: 'inferred-from-records',
      seen: 3,
    });
  });
});

describe('Function: inWindow', () => {
  const w = { since: Date.parse('2026-11-29T10:00:00.500Z'), until: Date.parse('2026-11-29T10:00:10.500Z') };

  it('keeps whole-second event times inside a window with millisecond ends, both ends inclusive', () => {
    expect(
      ['10:00:00', '10:00:01', '10:00:10', '10:00:11'].map((t) => inWindow(`2026-11-29T${t}Z`, w)),
    ).toEqual([false, true, true, false]);
  });

  it('parses other spellings of a time', () => {
    expect(inWindow('2026-11-29T10:00:00.600Z', w)).toBe(true);
    expect(inWindow('2026-11-29T11:00:05+01:00', w)).toBe(true);
    expect(inWindow('not a time', w)).toBe(false);
  });
});
