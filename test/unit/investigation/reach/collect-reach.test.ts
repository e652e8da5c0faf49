import {
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  collectReach,
  collectSnapshotSet,
  type ReachClients,
} from '../../../../lambdas/core/investigation/reach/collect-reach';
import { parseReachSnapshotSet } from '../../../../lambdas/core/investigation/reach/snapshot-set';
import { QUARANTINE_POLICY_NAME, quarantinePolicyArn } from '../../../../policies/quarantined-instances';
import { awsError, fakeApi } from './json-fakes';
import {
  ACCOUNT,
  allow,
  BUCKET,
  delegatingKeyPolicy,
  doc,
  INSTANCE_ARN,
  KEY,
  REGION,
  ROLE_ARN,
} from './reach-fixtures';

const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const ddb = mockClient(DynamoDBClient);
const REPORTS = `arn:aws:iam::${ACCOUNT}:role/reports`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`;

const DENY_ARN = quarantinePolicyArn('aws', ACCOUNT);

// IAM returns policy documents URL-encoded (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
const encoded = (d: unknown) => encodeURIComponent(JSON.stringify(d));

function mockAccount(): void {
  for (const m of [iam, ec2, s3, kms, ddb]) m.reset();
  iam.on(GetRoleCommand, { RoleName: 'web-role' }).resolves({ Role: { Arn: ROLE_ARN } as never });
  iam.on(GetRoleCommand, { RoleName: 'reports' }).resolves({ Role: { Arn: REPORTS } as never });
  iam.on(ListRolePoliciesCommand, { RoleName: 'web-role' }).resolves({ PolicyNames: ['app'] });
  iam.on(ListRolePoliciesCommand, { RoleName: 'reports' }).resolves({ PolicyNames: ['read'] });
  iam.on(GetRolePolicyCommand, { RoleName: 'web-role', PolicyName: 'app' }).resolves({
    PolicyDocument: encoded(
      doc(
        allow(['s3:GetObject', 's3:ListBucket', 'kms:Decrypt', 'secretsmanager:GetSecretValue']),
        allow('sts:AssumeRole', REPORTS),
      ),
    ),
  });
  iam.on(GetRolePolicyCommand, { RoleName: 'reports', PolicyName: 'read' }).resolves({
    PolicyDocument: encoded(doc(allow('dynamodb:Query', TABLE))),
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  // Sequester's deny: the account's managed quarantined-instances policy, attached to the quarantined role.
  iam
    .on(ListAttachedRolePoliciesCommand, { RoleName: 'web-role' })
    .resolves({ AttachedPolicies: [{ PolicyName: QUARANTINE_POLICY_NAME, PolicyArn: DENY_ARN }] });
  iam.on(ListRoleTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'web' }] });
  iam.on(ListRolesCommand).resolves({
    Roles: [
      { RoleName: 'web-role', Arn: ROLE_ARN } as never,
      {
        RoleName: 'reports',
        Arn: REPORTS,
        AssumeRolePolicyDocument: encoded(
          doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ROLE_ARN } }),
        ),
      } as never,
      {
        RoleName: 'unrelated',
        Arn: `arn:aws:iam::${ACCOUNT}:role/unrelated`,
        AssumeRolePolicyDocument: encoded(
          doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
        ),
      } as never,
    ],
  });
  ec2
    .on(DescribeVpcEndpointsCommand)
    .resolves({ VpcEndpoints: [{ VpcEndpointId: 'vpce-0s3', ServiceName: `com.amazonaws.${REGION}.s3` }] });
  s3.on(ListBucketsCommand).resolves({
    Buckets: [
      { Name: 'customer-data', BucketRegion: REGION },
      { Name: 'locked', BucketRegion: REGION },
      { Name: 'elsewhere', BucketRegion: 'ap-south-1' },
    ],
  });
  s3.on(GetBucketPolicyCommand, { Bucket: 'customer-data' }).rejects(awsError('NoSuchBucketPolicy'));
  s3.on(GetBucketPolicyCommand, { Bucket: 'locked' }).rejects(awsError('AccessDenied', 'Access Denied'));
  s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
  s3.on(GetPublicAccessBlockCommand, { Bucket: 'customer-data' }).resolves({
    PublicAccessBlockConfiguration: { BlockPublicPolicy: true, RestrictPublicBuckets: true },
  });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [
        { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' } },
      ],
    },
  });
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'data-classification', Value: 'customer' }] });
  kms.on(DescribeKeyCommand, { KeyId: 'alias/data' }).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY } });
  kms
    .on(DescribeKeyCommand, { KeyId: 'alias/aws/secretsmanager' })
    .rejects(awsError('AccessDeniedException'));
  kms.on(GetKeyPolicyCommand, { KeyId: KEY }).resolves({ Policy: JSON.stringify(delegatingKeyPolicy) });
  ddb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
  ddb.on(DescribeTableCommand).resolves({ Table: { TableName: 'orders' } });
  ddb.on(GetResourcePolicyCommand).rejects(awsError('PolicyNotFoundException'));
  ddb.on(ListTagsOfResourceCommand).resolves({ Tags: [{ Key: 'pii', Value: 'yes' }] });
}

const clients = (
  orgs = fakeApi({
    DescribeOrganization: () => {
      throw awsError('AccessDeniedException', 'not the management account');
    },
  }),
): ReachClients => ({
  iam: new IAMClient({ region: REGION }),
  ec2: new EC2Client({ region: REGION }),
  s3For: (region) => new S3Client({ region }),
  kmsFor: (region) => new KMSClient({ region }),
  dynamodbFor: (region) => new DynamoDBClient({ region }),
  secretsFor: () =>
    fakeApi({
      ListSecrets: () => ({
        SecretList: [{ ARN: SECRET, Name: 'db', Tags: [{ Key: 'pii', Value: 'yes' }] }],
      }),
      // No ResourcePolicy field: the secret has no policy.
      GetResourcePolicy: () => ({ ARN: SECRET, Name: 'db' }),
    }),
  ssmFor: () =>
    fakeApi({
      DescribeParameters: () => ({
        Parameters: [{ Name: '/app/token', Type: 'SecureString', KeyId: 'alias/data' }],
      }),
      ListTagsForResource: () => ({ TagList: [] }),
    }),
  organizations: orgs,
});
const target = { instanceArn: INSTANCE_ARN, roleName: 'web-role', vpcId: 'vpc-0abc', privateIp: '10.0.1.17' };

describe('collectSnapshotSet', () => {
  beforeEach(mockAccount);

  it('freezes the role (without Sequester deny), the stores of the covered regions, their policies and keys, and chained roles', async () => {
    const set = parseReachSnapshotSet(await collectSnapshotSet(clients(), target, { regions: [REGION] }));
    expect(set.instance.principal).toEqual({
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/i-0aaa1111aaaa1111a`,
      accountId: ACCOUNT,
      roleArn: ROLE_ARN,
      tags: { team: 'web' },
    });
    expect(set.instance.identityPolicies.map((p) => p.name)).toEqual(['inline:app']);
    expect(set.isolationDeny.map((p) => p.name)).toEqual([`managed:${DENY_ARN}`]);
    expect(set.stores.map((s) => [s.arn, s.kmsKeyArn, s.unknown])).toEqual([
      [BUCKET, KEY, undefined],
      ['arn:aws:s3:::locked', null, 'AccessDenied: Access Denied'],
      [SECRET, null, 'DescribeKey alias/aws/secretsmanager: AccessDeniedException'],
      [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/app/token`, KEY, undefined],
      [TABLE, null, undefined],
    ]);
    expect(set.stores[0]?.tags).toEqual({ 'data-classification': 'customer' });
    expect(set.stores[0]?.publicAccessBlock).toEqual({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(set.instance.resources.find((r) => r.arn === KEY)?.policy).toEqual(delegatingKeyPolicy);
    expect(set.target.vpcEndpoints).toEqual([{ service: 's3', id: 'vpce-0s3', region: REGION }]);
    expect(set.roles.map((r) => r.roleArn)).toEqual([REPORTS]);
    expect(set.unknown).toEqual([
      {
        what: 'organizations:DescribeOrganization',
        reason: 'AccessDeniedException: not the management account',
      },
    ]);
    // The key policy is read once for the bucket and the parameter that share it.
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(1);
  });

  it('collectReach reports what the session reads, through which role, and nothing after isolation', async () => {
    const report = await collectReach(clients(), target, { regions: [REGION] });
    const row = (arn: string, via = ROLE_ARN) => report.stores.find((s) => s.arn === arn && s.via === via);
    expect(row(BUCKET)?.fromInstance.readable).toBe('yes');
    expect(row(BUCKET)?.classification).toEqual({ 'data-classification': 'customer' });
    expect(row('arn:aws:s3:::locked')?.fromInstance.readable).toBe('unknown');
    expect(row(TABLE, REPORTS)?.fromInstance.readable).toBe('yes');
    expect(report.summary).toMatchObject({
      reachableBeforeIsolation: 2,
      reachableAfterIsolation: 0,
      unknown: 2,
    });
    expect(report.alarms).toEqual([]);
  });

  it('a role whose policies cannot be read leaves every store unknown instead of denied', async () => {
    iam.on(GetRoleCommand, { RoleName: 'web-role' }).rejects(awsError('AccessDenied'));
    const report = await collectReach(clients(), target, { regions: [REGION] });
    expect(
      new Set(report.stores.filter((s) => s.via === ROLE_ARN).map((s) => s.fromInstance.readable)),
    ).toEqual(new Set(['unknown']));
  });
});
