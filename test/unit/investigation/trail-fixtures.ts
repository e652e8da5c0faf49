import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '123456789012';
export const ROLE_ID = 'AROAEXAMPLEROLEID1234';
export const INSTANCE = 'i-0abc1234def567890';
export const TWIN = 'i-0fff1234def567890';
export const PRINCIPAL = `${ROLE_ID}:${INSTANCE}`;
export const INSTANCE_IP = '10.0.1.23';

let seq = 0;

/** The userIdentity of the instance profile session (EC2 names the session after the instance). */
export function instanceIdentity(
  accessKeyId = 'ASIAINSTANCEKEY00001',
  instance = INSTANCE,
  delivery = '2.0',
) {
  return {
    type: 'AssumedRole',
    principalId: `${ROLE_ID}:${instance}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web-server/${instance}`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: ROLE_ID,
        arn: `arn:aws:iam::${ACCOUNT}:role/web-server`,
        accountId: ACCOUNT,
        userName: 'web-server',
      },
      attributes: { creationDate: '2026-11-29T20:00:00Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: delivery,
    },
  };
}

/** The userIdentity of a session obtained with AssumeRole (role `name`, key `accessKeyId`). */
export function assumedIdentity(name: string, roleId: string, accessKeyId: string) {
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${name}-session`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${name}-session`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` },
      attributes: { creationDate: '2026-11-29T21:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

/** A management event record in CloudTrail's format (override any field). */
export function record(fields: Record<string, unknown>): Record<string, unknown> {
  seq += 1;
  return {
    eventVersion: '1.09',
    userIdentity: instanceIdentity(),
    eventTime: '2026-11-29T22:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: INSTANCE_IP,
    userAgent: 'aws-cli/2.15.0 md/Botocore#1.34.0',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${seq}`,
    eventID: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/** An AssumeRole record by `identity`, returning credentials `newKey` for role `name`. */
export function assumeRole(identity: unknown, name: string, roleId: string, newKey: string, time: string) {
  return record({
    userIdentity: identity,
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    requestParameters: {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      roleSessionName: `${name}-session`,
    },
    responseElements: {
      credentials: {
        accessKeyId: newKey,
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
        expiration: 'Nov 29, 2026, 11:00:00 PM',
      },
      assumedRoleUser: {
        assumedRoleId: `${roleId}:${name}-session`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${name}-session`,
      },
    },
    readOnly: true,
  });
}

/** An S3 GetObject data event reading `bytes` bytes of `bucket/key`. */
export function getObject(identity: unknown, bucket: string, key: string, bytes: number, fields = {}) {
  return record({
    userIdentity: identity,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    requestParameters: { bucketName: bucket, key, Host: `${bucket}.s3.eu-west-1.amazonaws.com` },
    additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: bytes, 'x-amz-id-2': 'EXAMPLE' },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    managementEvent: false,
    eventCategory: 'Data',
    ...fields,
  });
}

/** The standard key of a log file: `AWSLogs/[org/]acct/CloudTrail/region/YYYY/MM/DD/acct_CloudTrail_region_ts_id.json.gz`. */
export function logKey(region: string, time: string, n = 0, org?: string, account = ACCOUNT): string {
  const [y, m, d] = time.slice(0, 10).split('-');
  const ts = `${time.slice(0, 4)}${time.slice(5, 7)}${time.slice(8, 13)}${time.slice(14, 16)}Z`;
  const orgPart = org === undefined ? '' : `${org}/`;
  return `AWSLogs/${orgPart}${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${ts}_${String(n).padStart(16, 'a')}.json.gz`;
}

/** Writes a trail folder: each entry is a key and its records (gzip'd) or raw bytes. */
export function writeTrail(files: Record<string, ReadonlyArray<unknown> | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'sequester-trail-'));
  for (const [key, content] of Object.entries(files)) {
    const path = join(root, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.isBuffer(content) ? content : gzipSync(JSON.stringify({ Records: content })));
  }
  return root;
}
