import type { Call } from '../wire';
import { itemWriteContext } from './dynamodb-context';
import { kmsCheck } from './s3';
import {
  anyResource,
  type Check,
  type Facts,
  forService,
  listParam,
  type OperationAuth,
  resourceTags,
} from './types';

const sar = (page: string) =>
  `https://docs.aws.amazon.com/service-authorization/latest/reference/${page}.html`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const acct = (c: Call, f: Facts) => `${c.region}:${f.account}`;

const iamArn = (f: Facts, type: string, name: string) =>
  `arn:${f.partition}:iam::${f.account}:${type}/${name}`;
const onRole = (action: string, extra: (c: Call) => Record<string, string> = () => ({})): OperationAuth => ({
  actions: [action],
  doc: `${sar('list_awsidentityandaccessmanagementiam')} ; https://docs.aws.amazon.com/IAM/latest/APIReference/API_${action.slice(4)}.html`,
  // The path of the role is not in the request; roles Sequester acts on are named without it.
  checks: async (c, f) => [
    { action, resource: iamArn(f, 'role', c.form.get('RoleName') ?? ''), context: extra(c) },
  ],
});
const onPolicy = (action: string): OperationAuth => ({
  actions: [action],
  doc: `${sar('list_awsidentityandaccessmanagementiam')} ; https://docs.aws.amazon.com/IAM/latest/APIReference/API_${action.slice(4)}.html`,
  checks: async (c, f) => [
    {
      action,
      resource:
        c.form.get('PolicyArn') ??
        iamArn(
          f,
          'policy',
          `${(c.form.get('Path') ?? '/').replace(/^\//, '')}${c.form.get('PolicyName') ?? ''}`,
        ),
    },
  ],
});

/** IAM (query protocol; ARNs have no region). */
export const IAM = forService('iam', {
  GetInstanceProfile: {
    actions: ['iam:GetInstanceProfile'],
    doc: `${sar('list_awsidentityandaccessmanagementiam')} ; https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html`,
    checks: async (c, f) => [
      {
        action: 'iam:GetInstanceProfile',
        resource: iamArn(f, 'instance-profile', c.form.get('InstanceProfileName') ?? ''),
      },
    ],
  },
  GetRole: onRole('iam:GetRole'),
  // The demo's setup (as the administrator) creates the roles reach follows.
  CreateRole: onRole('iam:CreateRole'),
  GetRolePolicy: onRole('iam:GetRolePolicy'),
  PutRolePolicy: onRole('iam:PutRolePolicy'),
  DeleteRolePolicy: onRole('iam:DeleteRolePolicy'),
  ListRolePolicies: onRole('iam:ListRolePolicies'),
  ListRoleTags: onRole('iam:ListRoleTags'),
  ListRoles: {
    actions: ['iam:ListRoles'],
    doc: `${sar('list_awsidentityandaccessmanagementiam')} ; https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html`,
    checks: async (_c, f) => [{ action: 'iam:ListRoles', resource: iamArn(f, 'role', '*') }],
  },
  ListAttachedRolePolicies: onRole('iam:ListAttachedRolePolicies'),
  // The request names the access key, not its user, so the enforcer cannot know the user ARN AWS
  // evaluates; it checks the account's `user/*`, which a grant on user/* (or `*`) matches.
  GetAccessKeyLastUsed: {
    actions: ['iam:GetAccessKeyLastUsed'],
    doc: `${sar('list_awsidentityandaccessmanagementiam')} ; https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html`,
    checks: async (_c, f) => [{ action: 'iam:GetAccessKeyLastUsed', resource: iamArn(f, 'user', '*') }],
  },
  AttachRolePolicy: onRole('iam:AttachRolePolicy', (c) => ({
    'iam:PolicyARN': c.form.get('PolicyArn') ?? '',
  })),
  DetachRolePolicy: onRole('iam:DetachRolePolicy', (c) => ({
    'iam:PolicyARN': c.form.get('PolicyArn') ?? '',
  })),
  CreatePolicy: onPolicy('iam:CreatePolicy'),
  GetPolicy: onPolicy('iam:GetPolicy'),
  GetPolicyVersion: onPolicy('iam:GetPolicyVersion'),
  CreatePolicyVersion: onPolicy('iam:CreatePolicyVersion'),
  DeletePolicyVersion: onPolicy('iam:DeletePolicyVersion'),
  ListPolicyVersions: onPolicy('iam:ListPolicyVersions'),
  ListEntitiesForPolicy: onPolicy('iam:ListEntitiesForPolicy'),
});

/**
 * STS. AssumeRole is also checked against the target role's trust policy (the enforcer adds it as the
 * role's resource policy). GetCallerIdentity needs no permission.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const STS = forService('sts', {
  AssumeRole: {
    actions: ['sts:AssumeRole'],
    doc: `${sar('list_awssecuritytokenservice')} ; https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html`,
    checks: async (c) => [{ action: 'sts:AssumeRole', resource: c.form.get('RoleArn') ?? '' }],
  },
  // No resource types: the grant is on `*`.
  GetAccessKeyInfo: {
    actions: ['sts:GetAccessKeyInfo'],
    doc: `${sar('list_awssecuritytokenservice')} ; https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html`,
    checks: async () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  },
  GetCallerIdentity: {
    actions: [],
    doc: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
    checks: async () => [],
  },
});

const asgArn = (c: Call, f: Facts) =>
  `arn:${f.partition}:autoscaling:${acct(c, f)}:autoScalingGroup:*:autoScalingGroupName/${c.form.get('AutoScalingGroupName') ?? ''}`;
const asg = (action: string): OperationAuth => ({
  actions: [action],
  doc: `${sar('list_amazonec2autoscaling')} ; https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_${action.slice(12)}.html`,
  checks: async (c, f) => [{ action, resource: asgArn(c, f) }],
});

export const AUTOSCALING = forService('autoscaling', {
  DescribeAutoScalingInstances: {
    actions: ['autoscaling:DescribeAutoScalingInstances'],
    doc: `${sar('list_amazonec2autoscaling')} ; https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingInstances.html`,
    checks: anyResource('autoscaling:DescribeAutoScalingInstances'),
  },
  DetachInstances: asg('autoscaling:DetachInstances'),
  AttachInstances: asg('autoscaling:AttachInstances'),
});

const elb = (op: string, onGroup: boolean): OperationAuth => ({
  actions: [`elasticloadbalancing:${op}`],
  doc: `${sar('list_awselasticloadbalancingv2')} ; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_${op}.html`,
  checks: onGroup
    ? async (c) => [{ action: `elasticloadbalancing:${op}`, resource: c.form.get('TargetGroupArn') ?? '' }]
    : anyResource(`elasticloadbalancing:${op}`),
});
export const ELBV2 = forService('elasticloadbalancing', {
  DescribeTargetGroups: elb('DescribeTargetGroups', false),
  DescribeTargetHealth: elb('DescribeTargetHealth', false),
  DeregisterTargets: elb('DeregisterTargets', true),
  RegisterTargets: elb('RegisterTargets', true),
});

export const SNS = forService('sns', {
  Publish: {
    actions: ['sns:Publish'],
    doc: `${sar('list_amazonsns')} ; https://docs.aws.amazon.com/sns/latest/api/API_Publish.html`,
    checks: async (c) => [
      { action: 'sns:Publish', resource: c.form.get('TopicArn') ?? c.form.get('TargetArn') ?? '' },
    ],
  },
  CreateTopic: {
    actions: ['sns:CreateTopic'],
    doc: `${sar('list_amazonsns')} ; https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html`,
    checks: async (c, f) => [
      {
        action: 'sns:CreateTopic',
        resource: `arn:${f.partition}:sns:${acct(c, f)}:${c.form.get('Name') ?? ''}`,
      },
    ],
  },
});

export const STATES = forService('states', {
  StartExecution: {
    actions: ['states:StartExecution'],
    doc: `${sar('list_awsstepfunctions')} ; https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html`,
    checks: async (c) => [{ action: 'states:StartExecution', resource: str(c.json.stateMachineArn) }],
  },
});

/** Trail reads name the trail by name or ARN (`Name` / `TrailName`); the resource is the trail's ARN. */
const onTrail = (op: string): OperationAuth => ({
  actions: [`cloudtrail:${op}`],
  doc: `${sar('list_awscloudtrail')} ; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_${op}.html`,
  checks: async (c, f) => {
    const name = str(c.json.TrailName ?? c.json.Name);
    const arn = name.startsWith('arn:') ? name : `arn:${f.partition}:cloudtrail:${acct(c, f)}:trail/${name}`;
    return [{ action: `cloudtrail:${op}`, resource: arn }];
  },
});

export const CLOUDTRAIL = forService('cloudtrail', {
  LookupEvents: {
    actions: ['cloudtrail:LookupEvents'],
    doc: `${sar('list_awscloudtrail')} ; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html`,
    checks: anyResource('cloudtrail:LookupEvents'),
  },
  GetEventSelectors: onTrail('GetEventSelectors'),
  GetTrailStatus: onTrail('GetTrailStatus'),
  ListPublicKeys: {
    actions: ['cloudtrail:ListPublicKeys'],
    doc: `${sar('list_awscloudtrail')} ; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html`,
    checks: anyResource('cloudtrail:ListPublicKeys'),
  },
});

/** DynamoDB calls that name the table by its ARN (`ResourceArn`). */
const onTableArn = (op: string): OperationAuth => ({
  actions: [`dynamodb:${op}`],
  doc: ddbDoc(op),
  checks: async (c) => [{ action: `dynamodb:${op}`, resource: str(c.json.ResourceArn) }],
});
const tableArn = (c: Call, f: Facts, name: unknown) =>
  `arn:${f.partition}:dynamodb:${acct(c, f)}:table/${str(name)}`;
const ddbDoc = (op: string) =>
  `${sar('list_amazondynamodb')} ; https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_${op}.html`;
const item = (op: string): OperationAuth => ({
  actions: [`dynamodb:${op}`],
  doc: ddbDoc(op),
  checks: async (c, f) => [{ action: `dynamodb:${op}`, resource: tableArn(c, f, c.json.TableName) }],
});
/** Item writes carry DynamoDB's fine-grained access keys (attributes, partition key). */
const itemWrite = (op: string): OperationAuth => ({
  ...item(op),
  checks: async (c, f) => [
    {
      action: `dynamodb:${op}`,
      resource: tableArn(c, f, c.json.TableName),
      context: itemWriteContext(c.json),
    },
  ],
});
/** Transactions are authorized per item action on each item's table. */
const TRANSACT: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};
const transact = (op: string, actions: string[], conditional: string[]): OperationAuth => ({
  actions,
  conditional,
  doc: `${ddbDoc(op)} ; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html`,
  checks: async (c, f) =>
    (Array.isArray(c.json.TransactItems)
      ? (c.json.TransactItems as Record<string, { TableName?: string }>[])
      : []
    ).flatMap((entry) =>
      Object.entries(entry).map(
        ([kind, body]): Check => ({
          action: TRANSACT[kind] ?? `dynamodb:${kind}`,
          resource: tableArn(c, f, body?.TableName),
        }),
      ),
    ),
});
export const DYNAMODB = forService('dynamodb', {
  GetItem: item('GetItem'),
  PutItem: itemWrite('PutItem'),
  UpdateItem: itemWrite('UpdateItem'),
  DeleteItem: item('DeleteItem'),
  Query: item('Query'),
  Scan: item('Scan'),
  TransactWriteItems: transact(
    'TransactWriteItems',
    ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    ['dynamodb:ConditionCheckItem'],
  ),
  TransactGetItems: transact('TransactGetItems', ['dynamodb:GetItem'], []),
  // The blast-radius collectors (lambdas/core/investigation/reach/); the demo creates a table.
  DescribeTable: item('DescribeTable'),
  CreateTable: item('CreateTable'),
  ListTables: {
    actions: ['dynamodb:ListTables'],
    doc: ddbDoc('ListTables'),
    checks: anyResource('dynamodb:ListTables'),
  },
  GetResourcePolicy: onTableArn('GetResourcePolicy'),
  ListTagsOfResource: onTableArn('ListTagsOfResource'),
});

/** KMS key reads by key id or ARN (the key's ARN is the resource). */
const onKey = (op: string): OperationAuth => ({
  actions: [`kms:${op}`],
  doc: `${sar('list_awskeymanagementservice')} ; https://docs.aws.amazon.com/kms/latest/APIReference/API_${op}.html`,
  checks: async (c, f) => {
    const id = str(c.json.KeyId);
    const arn = id.startsWith('arn:') ? id : `arn:${f.partition}:kms:${acct(c, f)}:key/${id}`;
    return [{ action: `kms:${op}`, resource: arn }];
  },
});

export const KMS = forService('kms', {
  DescribeKey: onKey('DescribeKey'),
  GetKeyPolicy: onKey('GetKeyPolicy'),
});

/**
 * EBS direct APIs on snapshots (account-less ARN, tags as aws:ResourceTag). Reading the blocks of a
 * snapshot of an encrypted volume decrypts them with its KMS key, which EBS uses on the caller's behalf:
 * the caller needs kms:Decrypt on that key (EBS user guide, "Control access to EBS direct APIs", the
 * policy for encrypted snapshots, which also lists kms:DescribeKey). Listing blocks reads no data.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-permissions.html
 */
const ebsRead = (op: string, decrypts: boolean): OperationAuth => ({
  actions: [`ebs:${op}`],
  ...(decrypts ? { conditional: ['kms:Decrypt', 'kms:DescribeKey'] } : {}),
  doc: `${sar('list_amazonelasticblockstore')} ; https://docs.aws.amazon.com/ebs/latest/APIReference/API_${op}.html ; https://docs.aws.amazon.com/ebs/latest/userguide/ebsapi-permissions.html`,
  checks: async (c, f) => {
    const id = c.snapshotId ?? '';
    const snap = await f.snapshot(id);
    const check: Check = {
      action: `ebs:${op}`,
      resource: `arn:${f.partition}:ec2:${c.region}::snapshot/${id}`,
      context: resourceTags(snap?.tags ?? {}),
    };
    return snap?.kmsKeyArn === undefined || !decrypts
      ? [check]
      : [check, kmsCheck('kms:Decrypt', snap.kmsKeyArn, c.region, f, 'ebs')];
  },
});
const ebsWrite = (op: string): OperationAuth => ({
  actions: [`ebs:${op}`],
  doc: `${sar('list_amazonelasticblockstore')} ; https://docs.aws.amazon.com/ebs/latest/APIReference/API_${op}.html`,
  checks: async (c, f) => [
    { action: `ebs:${op}`, resource: `arn:${f.partition}:ec2:${c.region}::snapshot/${c.snapshotId ?? '*'}` },
  ],
});
export const EBS = forService('ebs', {
  ListSnapshotBlocks: ebsRead('ListSnapshotBlocks', false),
  GetSnapshotBlock: ebsRead('GetSnapshotBlock', true),
  ListChangedBlocks: ebsRead('ListChangedBlocks', false),
  StartSnapshot: ebsWrite('StartSnapshot'),
  PutSnapshotBlock: ebsWrite('PutSnapshotBlock'),
  CompleteSnapshot: ebsWrite('CompleteSnapshot'),
});

/** Lists of the query protocol are read with listParam; re-exported for tests. */
export { listParam };
