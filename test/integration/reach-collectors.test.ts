import { CreateTableCommand, DynamoDBClient, PutResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  AttachPolicyCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { seedVpcOnlyBucket } from '../../demo/reach-scenario';
import { mapLimit } from '../../lambdas/core/evidence/concurrency';
import { collectSnapshotSet } from '../../lambdas/core/investigation/reach/collect-reach';
import { evaluateReach } from '../../lambdas/core/investigation/reach/evaluate-reach';
import type { JsonApi } from '../../lambdas/core/investigation/reach/json-api';
import { createReachClients } from '../../lambdas/core/investigation/reach/reach-clients';
import type { ReachReport } from '../../lambdas/core/investigation/reach/report';
import {
  parseReachSnapshotSet,
  type ReachSnapshotSet,
  UNKNOWN_ACCOUNT,
} from '../../lambdas/core/investigation/reach/snapshot-set';
import { localKey } from '../../local-aws/iam/local-roles';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const ACCOUNT = '123456789012';
const PARTNER = '444455556666';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/web-role`;
const REPORTS = `arn:aws:iam::${ACCOUNT}:role/reports`;
const COLLECTOR = `arn:aws:iam::${ACCOUNT}:role/reach-collector`;
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0aaa1111aaaa1111a`;
const PARAMETERS = 1000;
const S3_ARN = (b: string) => `arn:aws:s3:::${b}`;

/**
 * The collector's own read-only grants: what a reach step needs to read the account (no data reads).
 * It runs as this role through the IAM-enforcing local AWS, so what a bucket or key policy refuses it is
 * refused as on AWS.
 */
const collectorPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListRoles',
        'iam:ListRoleTags',
        'ec2:DescribeVpcEndpoints',
        's3:ListAllMyBuckets',
        's3:GetBucketLocation',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetEncryptionConfiguration',
        's3:GetBucketTagging',
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'dynamodb:ListTables',
        'dynamodb:DescribeTable',
        'dynamodb:GetResourcePolicy',
        'dynamodb:ListTagsOfResource',
        'secretsmanager:ListSecrets',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:DescribeSecret',
        'ssm:DescribeParameters',
        'ssm:ListTagsForResource',
        'organizations:DescribeOrganization',
        'organizations:ListParents',
        'organizations:ListPoliciesForTarget',
        'organizations:DescribePolicy',
      ],
      Resource: '*',
    },
  ],
} as const;

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
/** The default key policy's first statement: IAM policies of the account decide. */
const delegating = doc({
  Sid: 'EnableIam',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
});
/** A key policy that does not delegate to the account: only the collector may read its metadata. */
const undelegated = doc({
  Sid: 'CollectorReadsMetadata',
  Effect: 'Allow',
  Principal: { AWS: COLLECTOR },
  Action: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
  Resource: '*',
});

interface Seeded {
  dataKey: string;
  vpcOnly: string;
  endpointId: string;
  orgId: string;
  secretArn: string;
}

async function seed(env: MotoEnv): Promise<Seeded> {
  const admin = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS };
  const iam = new IAMClient(admin);
  const s3 = new S3Client({ ...admin, forcePathStyle: true });
  const kms = new KMSClient(admin);
  const ddb = new DynamoDBClient(admin);
  const ssm = new SSMClient(admin);
  const secrets = new SecretsManagerClient(admin);
  const org = new OrganizationsClient({ ...admin, region: 'us-east-1' });

  // The instance's role, a role it may assume, and the collector's role (defined in the enforcer too).
  const trustEc2 = doc({
    Effect: 'Allow',
    Principal: { Service: 'ec2.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
  await iam.send(new CreateRoleCommand({ RoleName: 'web-role', AssumeRolePolicyDocument: trustEc2 }));
  await iam.send(new TagRoleCommand({ RoleName: 'web-role', Tags: [{ Key: 'team', Value: 'web' }] }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'web-role',
      PolicyName: 'app',
      PolicyDocument: doc(
        {
          Effect: 'Allow',
          Action: [
            's3:GetObject',
            's3:ListBucket',
            'kms:Decrypt',
            'secretsmanager:GetSecretValue',
            'ssm:GetParameter',
          ],
          Resource: '*',
        },
        // Buckets of the partner account, named by ARN.
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [`${S3_ARN('partner-exchange')}/*`, `${S3_ARN('partner-private')}/*`],
        },
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: REPORTS },
      ),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'reports',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'sts:AssumeRole' }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'reports',
      PolicyName: 'read-orders',
      PolicyDocument: doc({ Effect: 'Allow', Action: ['dynamodb:Query', 'kms:Decrypt'], Resource: '*' }),
    }),
  );

  const dataKey = (await kms.send(new CreateKeyCommand({ Policy: delegating, Description: 'customer data' })))
    .KeyMetadata?.Arn as string;
  const lockedKey = (
    await kms.send(new CreateKeyCommand({ Policy: undelegated, Description: 'no delegation' }))
  ).KeyMetadata?.Arn as string;

  const bucket = async (name: string, key?: string, tags?: Record<string, string>) => {
    await s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    if (key !== undefined)
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: name,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key } }],
          },
        }),
      );
    if (tags !== undefined)
      await s3.send(
        new PutBucketTaggingCommand({
          Bucket: name,
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      );
  };
  await bucket('customer-data', dataKey, { 'data-classification': 'customer' });
  await bucket('undelegated-key-data', lockedKey);
  await bucket('collector-locked');
  // The collector may not read this bucket's policy: an explicit deny for it, whoever else may.
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'collector-locked',
      Policy: doc({
        Effect: 'Deny',
        Principal: { AWS: COLLECTOR },
        Action: 's3:GetBucketPolicy',
        Resource: S3_ARN('collector-locked'),
      }),
    }),
  );
  const vpcId = (await new EC2Client(admin).send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc
    ?.VpcId as string;
  const vpcOnly = await seedVpcOnlyBucket({ ...admin, maxAttempts: 3 }, vpcId, ACCOUNT);

  // The partner account's buckets: one whose policy grants the web role, one that grants nothing.
  const partner = {
    ...admin,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: `arn:aws:iam::${PARTNER}:role/partner-admin`, RoleSessionName: 'seed' },
      clientConfig: admin,
    }),
  };
  const partnerS3 = new S3Client({ ...partner, forcePathStyle: true });
  for (const name of ['partner-exchange', 'partner-private'])
    await partnerS3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
  await partnerS3.send(
    new PutBucketPolicyCommand({
      Bucket: 'partner-exchange',
      Policy: doc(
        {
          Effect: 'Allow',
          Principal: { AWS: ROLE },
          Action: 's3:GetObject',
          Resource: `${S3_ARN('partner-exchange')}/*`,
        },
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 's3:GetBucketPolicy',
          Resource: S3_ARN('partner-exchange'),
        },
      ),
    }),
  );

  const secretArn = (
    await secrets.send(
      new CreateSecretCommand({
        Name: 'db-password',
        SecretString: 'hunter2',
        KmsKeyId: dataKey,
        Tags: [{ Key: 'pii', Value: 'yes' }],
      }),
    )
  ).ARN as string;
  await ddb.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await ddb.send(
    new PutResourcePolicyCommand({
      ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      Policy: doc({ Effect: 'Deny', Principal: '*', Action: 'dynamodb:Scan', Resource: '*' }),
    }),
  );
  // 1,000 SecureString parameters: 20 pages of DescribeParameters (at most 50 a page).
  await mapLimit(
    Array.from({ length: PARAMETERS }, (_, i) => i),
    25,
    (i) =>
      ssm.send(
        new PutParameterCommand({ Name: `/app/p${i}`, Type: 'SecureString', Value: 's', KeyId: dataKey }),
      ),
  );

  // The organization: an SCP denying SSM everywhere, an RCP admitting only the organization's principals.
  const orgId = (await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization
    ?.Id as string;
  const root = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
  for (const PolicyType of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const)
    await org.send(new EnablePolicyTypeCommand({ RootId: root, PolicyType }));
  const attach = async (
    Type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
    Name: string,
    Content: string,
  ) => {
    const id = (await org.send(new CreatePolicyCommand({ Type, Name, Description: Name, Content }))).Policy
      ?.PolicySummary?.Id;
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: root }));
  };
  await attach('SERVICE_CONTROL_POLICY', 'deny-ssm', doc({ Effect: 'Deny', Action: 'ssm:*', Resource: '*' }));
  await attach(
    'RESOURCE_CONTROL_POLICY',
    'org-only',
    doc({
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*', 'secretsmanager:*'],
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:PrincipalOrgID': orgId },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  return { dataKey, vpcOnly: vpcOnly.bucket, endpointId: vpcOnly.endpointId, orgId, secretArn };
}

/** Counts the SSM collector's requests per operation (the pages it reads). */
function counting(api: JsonApi, counts: Map<string, number>): JsonApi {
  return {
    send: (c) => {
      counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
      return api.send(c);
    },
  };
}

describe('reach collectors against moto, as a read-only collector role through the enforcer', () => {
  let env: MotoEnv;
  let seeded: Seeded;
  let set: ReachSnapshotSet;
  let report: ReachReport;
  const ssmCalls = new Map<string, number>();

  beforeAll(async () => {
    env = await freshMoto();
    env.enforcer.principals.defineRole({
      roleArn: COLLECTOR,
      accountId: ACCOUNT,
      trust: { Version: '2012-10-17', Statement: [] },
      policies: [{ name: 'reach-collector', document: collectorPolicy as never }],
    });
    const key = localKey('test/reach-collector');
    env.enforcer.principals.bindKey(key.accessKeyId, COLLECTOR, 'reach');
    seeded = await seed(env);
    const clients = createReachClients({
      region: REGION,
      endpoint: env.endpoint,
      credentials: key,
      maxAttempts: 2,
    });
    const target = {
      instanceArn: INSTANCE,
      roleName: 'web-role',
      vpcId: await vpcOf(env),
      privateIp: '10.0.1.17',
    };
    set = parseReachSnapshotSet(
      await collectSnapshotSet({ ...clients, ssmFor: (r) => counting(clients.ssmFor(r), ssmCalls) }, target, {
        regions: [REGION],
      }),
    );
    report = evaluateReach(set, { now: new Date('2026-11-30T08:00:00Z') });
  }, 180_000);

  const row = (arn: string, via = ROLE) => {
    const r = report.stores.find((s) => s.arn === arn && s.via === via);
    if (r === undefined) throw new Error(`no row for ${arn} via ${via}`);
    return r;
  };

  it('IAM: freezes the role with its tags and finds the role it may assume', () => {
    expect(set.instance.principal).toMatchObject({ roleArn: ROLE, tags: { team: 'web' } });
    expect(set.instance.identityPolicies.map((p) => p.name)).toEqual(['inline:app']);
    expect(set.roles.map((r) => r.roleArn)).toEqual([REPORTS]);
  });

  it('S3 and KMS: a tagged bucket under a delegating key is readable before isolation, not after', () => {
    const s = row(S3_ARN('customer-data'));
    expect(set.stores.find((x) => x.arn === S3_ARN('customer-data'))?.kmsKeyArn).toBe(seeded.dataKey);
    expect(s.classification).toEqual({ 'data-classification': 'customer' });
    expect([s.fromInstance.readable, s.fromInternet.readable, s.afterIsolation.readable]).toEqual([
      'yes',
      'yes',
      'no',
    ]);
  });

  it('KMS: objects under a key whose policy does not delegate to the account cannot be decrypted', () => {
    // Act: the identity allows s3:GetObject and kms:Decrypt on everything.
    const s = row(S3_ARN('undelegated-key-data'));
    const decision = (action: string) => s.fromInstance.actions.find((a) => a.action === action)?.decision;
    // Assess: GetObject is allowed, but the objects' key refuses Decrypt: the data cannot be read; only
    // the listing of object names (s3:ListBucket, no decryption) is, which is why the bucket stays listed.
    expect([decision('s3:GetObject'), decision('kms:Decrypt'), decision('s3:ListBucket')]).toEqual([
      'Allowed',
      'ImplicitDeny',
      'Allowed',
    ]);
    expect(s.fromInstance.actions.find((a) => a.action === 'kms:Decrypt')?.decidedBy).toEqual([
      { policy: expect.stringMatching(/^resource:arn:aws:kms:/), statement: -1 },
    ]);
  });

  it('S3 and EC2: the VPC-only bucket is readable from the instance (through its endpoint), not from the internet', () => {
    expect(set.target.vpcEndpoints).toEqual([
      expect.objectContaining({ service: 's3', id: seeded.endpointId, type: 'Gateway' }),
    ]);
    expect(set.instance.vpcEndpoints.map((e) => e.id)).toEqual([seeded.endpointId]);
    const s = row(S3_ARN(seeded.vpcOnly));
    expect([s.fromInstance.readable, s.fromInternet.readable]).toEqual(['yes', 'no']);
    expect(s.fromInstance.actions[0]?.decidedBy.map((d) => d.policy)).toContain(`vpce:${seeded.endpointId}`);
  });

  it('S3 across accounts: a partner bucket whose policy grants the role is readable with its credentials; one without is not', () => {
    const granted = row(S3_ARN('partner-exchange'));
    expect(granted.accountId).toBe(UNKNOWN_ACCOUNT);
    expect(granted.fromInternet.readable).toBe('yes');
    expect(granted.fromInternet.actions[0]?.decidedBy[0]?.policy).toBe(
      `resource:${S3_ARN('partner-exchange')}`,
    );
    expect(row(S3_ARN('partner-private')).fromInternet.readable).toBe('no');
    // From the instance the request goes through the VPC endpoint, whose policy admits only buckets of
    // the account: a bucket whose account cannot be known is conditional there, not guessed.
    expect(granted.fromInstance.readable).toBe('conditional');
    expect(granted.fromInstance.actions[0]?.unknownKeys).toContain('aws:resourceaccount');
  });

  it('a store the collector may not read is unknown with the AWS reason, not denied', () => {
    const s = row(S3_ARN('collector-locked'));
    expect(s.unknown).toMatch(/^AccessDenied/);
    expect(s.fromInstance.readable).toBe('unknown');
  });

  it('Secrets Manager: the secret is readable, its key and tags collected', () => {
    const s = row(seeded.secretArn);
    expect(set.stores.find((x) => x.arn === seeded.secretArn)?.kmsKeyArn).toBe(seeded.dataKey);
    expect(s.classification).toEqual({ pii: 'yes' });
    expect(s.fromInstance.readable).toBe('yes');
  });

  it('DynamoDB and chained roles: the table is read through the assumable role, its resource policy collected', () => {
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
    expect(row(table).fromInstance.readable).toBe('no');
    expect(row(table, REPORTS).fromInstance.readable).toBe('yes');
    expect(row(table, REPORTS).afterIsolation.readable).toBe('no');
    expect(set.instance.resources.find((r) => r.arn === table)?.policy).toMatchObject({
      Statement: [expect.objectContaining({ Effect: 'Deny', Action: 'dynamodb:Scan' })],
    });
  });

  it('Organizations: an SCP denying SSM makes all 1,000 parameters unreadable, collected page by page', () => {
    const params = report.stores.filter((s) => s.type === 'ssm' && s.via === ROLE);
    expect(params).toHaveLength(PARAMETERS);
    expect(new Set(params.map((p) => p.fromInstance.readable))).toEqual(new Set(['no']));
    expect(params[0]?.fromInstance.actions[0]).toMatchObject({
      decision: 'ExplicitDeny',
      decidedBy: [expect.objectContaining({ policy: expect.stringMatching(/^scp:level0:/) })],
    });
    // One request per page: moto serves 10 parameters a page whatever MaxResults asks (AWS: up to 50),
    // and a full last page still carries a NextToken (test/moto-gaps.md).
    expect(ssmCalls.get('DescribeParameters')).toBe(PARAMETERS / 10 + 1);
  });

  it('Organizations: the RCP with an organization condition is collected and admits the organization', () => {
    expect(set.target.orgId).toBe(seeded.orgId);
    expect(JSON.stringify(set.instance.rcps[ACCOUNT])).toContain('aws:PrincipalOrgID');
    expect(row(S3_ARN('customer-data')).fromInstance.readable).toBe('yes');
    // What if the organization could not be read: the RCP's condition is then unknown, not guessed.
    const blind = evaluateReach({ ...set, target: { ...set.target, orgId: undefined } }, { now: new Date() });
    expect(blind.stores.find((s) => s.arn === S3_ARN('customer-data'))?.fromInstance.readable).toBe(
      'conditional',
    );
  });

  it('after isolation nothing is readable: no alarm', () => {
    expect(report.summary.reachableAfterIsolation).toBe(0);
    expect(report.alarms).toEqual([]);
  });
});

async function vpcOf(env: MotoEnv): Promise<string> {
  const { DescribeVpcEndpointsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS });
  const e = await ec2.send(new DescribeVpcEndpointsCommand({}));
  return e.VpcEndpoints?.[0]?.VpcId as string;
}
