import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type Enforcer, startEnforcer } from '../../local-aws/iam/enforcer';
import { Principals } from '../../local-aws/iam/principals';
import { LOCAL_CREDENTIALS, resetMoto } from '../../local-aws/moto-server';
import type { PolicyStatement } from '../../policies/policy-document';
import { motoEndpoint, REGION } from '../support/moto';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/tester`;
const KEY = { accessKeyId: 'AKIATESTER0000000001', secretAccessKey: 'x' };
const BUCKET = 'enforced-bucket';

/** A role `tester` holding exactly these statements, its key bound to a session of it. */
function principalsWith(statements: PolicyStatement[]): Principals {
  const p = new Principals();
  p.admin(LOCAL_CREDENTIALS.accessKeyId);
  p.defineRole({
    roleArn: ROLE,
    accountId: ACCOUNT,
    trust: { Version: '2012-10-17', Statement: [] },
    policies: [{ name: 'p', document: { Version: '2012-10-17', Statement: statements } }],
  });
  p.bindKey(KEY.accessKeyId, ROLE, 'test');
  return p;
}

const opts = (endpoint: string, credentials = KEY) => ({
  region: REGION,
  endpoint,
  credentials,
  maxAttempts: 1,
});
const s3 = (endpoint: string, credentials = KEY) =>
  new S3Client({ ...opts(endpoint, credentials), forcePathStyle: true });

describe('the IAM-enforcing local AWS in front of moto', () => {
  let enforcer: Enforcer | undefined;
  afterEach(async () => {
    await enforcer?.stop();
    enforcer = undefined;
  });

  async function start(statements: PolicyStatement[]) {
    await resetMoto(motoEndpoint());
    enforcer = await startEnforcer(motoEndpoint(), principalsWith(statements));
    await s3(enforcer.endpoint, LOCAL_CREDENTIALS).send(
      new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    return enforcer;
  }

  it('lets the administrator do anything and refuses what the role does not allow, in each wire format', async () => {
    const e = await start([{ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }]);
    await expect(
      new EC2Client(opts(e.endpoint)).send(new DescribeInstancesCommand({})),
    ).resolves.toBeDefined();
    await expect(
      new EC2Client(opts(e.endpoint)).send(
        new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }),
      ),
    ).rejects.toMatchObject({ name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } });
    await expect(
      new DynamoDBClient(opts(e.endpoint)).send(
        new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    await expect(
      s3(e.endpoint).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(e.denials.map((d) => d.action)).toEqual(['ec2:StopInstances', 'dynamodb:GetItem', 's3:PutObject']);
  });

  it('answers a missing key with 403 without s3:ListBucket and with 404 with it', async () => {
    const read: PolicyStatement = {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    };
    let e = await start([read]);
    await expect(
      s3(e.endpoint).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await e.stop();
    e = await start([read, { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` }]);
    enforcer = e;
    await expect(
      s3(e.endpoint).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('returns the Object Lock headers only with s3:GetObjectRetention and s3:GetObjectLegalHold', async () => {
    const locked = 'locked-bucket';
    const read: PolicyStatement = {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${locked}/*`,
    };
    let e = await start([read]);
    const admin = s3(e.endpoint, LOCAL_CREDENTIALS);
    await admin.send(
      new CreateBucketCommand({
        Bucket: locked,
        ObjectLockEnabledForBucket: true,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    await admin.send(
      new PutObjectCommand({
        Bucket: locked,
        Key: 'k',
        Body: 'x',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
        ObjectLockLegalHoldStatus: 'ON',
      }),
    );
    const bare = await s3(e.endpoint).send(new HeadObjectCommand({ Bucket: locked, Key: 'k' }));
    expect([bare.ObjectLockMode, bare.ObjectLockRetainUntilDate, bare.ObjectLockLegalHoldStatus]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const full = await s3(e.endpoint, LOCAL_CREDENTIALS).send(
      new HeadObjectCommand({ Bucket: locked, Key: 'k' }),
    );
    expect(full.ObjectLockMode).toBe('COMPLIANCE');
    await e.stop();
    e = await start([
      read,
      {
        Effect: 'Allow',
        Action: ['s3:GetObjectRetention', 's3:GetObjectLegalHold'],
        Resource: `arn:aws:s3:::${locked}/*`,
      },
    ]);
    enforcer = e;
    await s3(e.endpoint, LOCAL_CREDENTIALS).send(
      new CreateBucketCommand({
        Bucket: locked,
        ObjectLockEnabledForBucket: true,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
    await s3(e.endpoint, LOCAL_CREDENTIALS).send(
      new PutObjectCommand({
        Bucket: locked,
        Key: 'k',
        Body: 'x',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
        ObjectLockLegalHoldStatus: 'ON',
      }),
    );
    const granted = await s3(e.endpoint).send(new GetObjectCommand({ Bucket: locked, Key: 'k' }));
    expect([granted.ObjectLockMode, granted.ObjectLockLegalHoldStatus]).toEqual(['COMPLIANCE', 'ON']);
  });

  it('checks AssumeRole against the trust policy and maps the new key to the assumed role', async () => {
    const e = await start([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::210987654321:role/*' },
    ]);
    const target = 'arn:aws:iam::210987654321:role/member';
    const trusting = (principal: string) => ({
      Version: '2012-10-17' as const,
      Statement: [{ Effect: 'Allow' as const, Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
    });
    const member = {
      roleArn: target,
      accountId: '210987654321',
      policies: [
        {
          name: 'm',
          document: {
            Version: '2012-10-17' as const,
            Statement: [{ Effect: 'Allow' as const, Action: 'ec2:DescribeInstances', Resource: '*' }],
          },
        },
      ],
    };
    e.principals.defineRole({ ...member, trust: trusting('arn:aws:iam::123456789012:role/somebody-else') });
    const sts = new STSClient(opts(e.endpoint));
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 's' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    e.principals.defineRole({ ...member, trust: trusting(ROLE) });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 's' }));
    const c = out.Credentials;
    const session = {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    };
    const ec2 = new EC2Client(opts(e.endpoint, session));
    await expect(ec2.send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
    await expect(
      ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    ).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(e.denials.at(-1)?.principal).toBe('arn:aws:sts::210987654321:assumed-role/member/s');
  });

  it('refuses an operation the table does not know with a 501 naming it', async () => {
    const e = await start([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]);
    const res = await new EC2Client(opts(e.endpoint))
      .send(
        new (await import('@aws-sdk/client-ec2')).TerminateInstancesCommand({
          InstanceIds: ['i-0123456789abcdef0'],
        }),
      )
      .catch((err: unknown) => err);
    expect(res).toMatchObject({ $metadata: { httpStatusCode: 501 } });
  });
});
