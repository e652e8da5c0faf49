import { performance } from 'node:perf_hooks';
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
import { collectSnapshotSet } from '../lambdas/core/investigation/reach/collect-reach';
import { evaluateReach } from '../lambdas/core/investigation/reach/evaluate-reach';
import type { ReachSnapshotSet } from '../lambdas/core/investigation/reach/snapshot-set';
import { storeReads } from '../lambdas/core/investigation/reach/store-reads';
import { evaluate } from '../policies/evaluation';
import { RoundTrips } from '../test/support/round-trips';
import {
  ACCOUNT,
  allow,
  delegatingKeyPolicy,
  deny,
  doc,
  INSTANCE_ARN,
  KEY,
  REGION,
  snapshotSet,
} from '../test/unit/investigation/reach/reach-fixtures';
import { type Figure, round } from './figures';

const STORES = 1000;
const TYPES = ['s3', 'secretsmanager', 'ssm', 'dynamodb'] as const;

function arnOf(type: (typeof TYPES)[number], i: number): string {
  if (type === 's3') return `arn:aws:s3:::bucket-${i}`;
  if (type === 'secretsmanager') return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:s${i}-AbCdEf`;
  if (type === 'ssm') return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/p/${i}`;
  return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t${i}`;
}

/** 20 identity statements, an SCP chain, an RCP, a VPC-only policy on every tenth bucket, one key. */
function largeSet(): ReachSnapshotSet {
  const identity = [
    ...Array.from({ length: 16 }, (_, i) =>
      allow(`logs:Put${i}*`, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:g${i}`),
    ),
    allow(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::bucket-*', 'arn:aws:s3:::bucket-*/*']),
    allow(['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'kms:Decrypt']),
    allow(['dynamodb:GetItem', 'dynamodb:Query'], `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/*`),
    deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
  ];
  const stores = Array.from({ length: STORES }, (_, i) => {
    const type = TYPES[i % TYPES.length] ?? 's3';
    return {
      arn: arnOf(type, i),
      type,
      region: REGION,
      accountId: ACCOUNT,
      kmsKeyArn: type === 's3' || type === 'dynamodb' ? null : KEY,
      tags: (i % 7 === 0 ? { 'data-classification': 'customer' } : {}) as Record<string, string>,
    };
  });
  const vpcOnly = (arn: string) =>
    doc(
      deny('s3:*', [arn, `${arn}/*`], {
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0s3' } },
      }),
    );
  const set = snapshotSet({
    identity,
    stores,
    instance: {
      scps: [[doc(allow('*'))], [doc(allow('*'), deny('organizations:*'))]],
      rcps: { [ACCOUNT]: [[doc(allow('*', '*', { Principal: '*' }))]] },
      resources: [
        { arn: KEY, accountId: ACCOUNT, policy: delegatingKeyPolicy },
        ...stores
          .filter((s, i) => s.type === 's3' && i % 10 === 0)
          .map((s) => ({ arn: s.arn, accountId: ACCOUNT, policy: vpcOnly(s.arn) })),
      ],
    },
  });
  set.target.vpcEndpoints.push({ service: 's3', id: 'vpce-0s3', region: REGION, type: 'Gateway' });
  // The endpoint's own policy applies to every S3 read from the instance (a data-perimeter one).
  set.instance.vpcEndpoints = [
    {
      id: 'vpce-0s3',
      policy: doc(
        allow(['s3:GetObject', 's3:ListBucket'], '*', {
          Principal: '*',
          Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
        }),
      ),
    },
  ];
  set.target.orgId = 'o-abc123';
  return set;
}

const best = (n: number, fn: () => void) => {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
};

/** The collection of `stores` stores (a quarter of each type) through mocks answering in counted round trips. */
async function collectRoundTrips(stores: number): Promise<{ ticks: number; calls: number }> {
  const wire = new RoundTrips();
  const quarter = stores / 4;
  const pageOf = <T>(n: number, size: number, token: string | undefined, item: (i: number) => T) => {
    const start = Number(token ?? 0);
    const end = Math.min(n, start + size);
    return {
      items: Array.from({ length: end - start }, (_, k) => item(start + k)),
      next: end < n ? String(end) : undefined,
    };
  };
  const answer =
    <T>(v: () => T) =>
    () =>
      wire.answer(v) as never;
  const iam = mockClient(IAMClient);
  const mocks: Array<{ restore(): void }> = [iam];
  iam
    .on(GetRoleCommand)
    .callsFake(answer(() => ({ Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/web-role` } })));
  iam.on(ListRolePoliciesCommand).callsFake(answer(() => ({ PolicyNames: ['app'] })));
  iam
    .on(GetRolePolicyCommand)
    .callsFake(answer(() => ({ PolicyDocument: JSON.stringify(doc(allow('s3:GetObject'))) })));
  iam.on(ListAttachedRolePoliciesCommand).callsFake(answer(() => ({ AttachedPolicies: [] })));
  iam.on(ListRoleTagsCommand).callsFake(answer(() => ({ Tags: [] })));
  iam.on(ListRolesCommand).callsFake(answer(() => ({ Roles: [] })));
  const ec2 = mockClient(EC2Client);
  mocks.push(ec2);
  ec2.on(DescribeVpcEndpointsCommand).callsFake(answer(() => ({ VpcEndpoints: [] })));
  const s3 = mockClient(S3Client);
  mocks.push(s3);
  s3.on(ListBucketsCommand).callsFake((input: { ContinuationToken?: string }) =>
    wire.answer(() => {
      const p = pageOf(quarter, 100, input.ContinuationToken, (i) => ({
        Name: `bucket-${i}`,
        BucketRegion: REGION,
      }));
      return { Buckets: p.items, ContinuationToken: p.next };
    }),
  );
  for (const c of [
    GetBucketPolicyCommand,
    GetPublicAccessBlockCommand,
    GetBucketEncryptionCommand,
    GetBucketTaggingCommand,
  ])
    s3.on(c as never).callsFake(answer(() => ({ TagSet: [] })));
  const kms = mockClient(KMSClient);
  mocks.push(kms);
  kms.on(DescribeKeyCommand).callsFake(answer(() => ({ KeyMetadata: { KeyId: 'k', Arn: KEY } })));
  kms.on(GetKeyPolicyCommand).callsFake(answer(() => ({ Policy: JSON.stringify(delegatingKeyPolicy) })));
  const ddb = mockClient(DynamoDBClient);
  mocks.push(ddb);
  ddb.on(ListTablesCommand).callsFake((input: { ExclusiveStartTableName?: string }) =>
    wire.answer(() => {
      const p = pageOf(quarter, 100, input.ExclusiveStartTableName, (i) => `t${i}`);
      return { TableNames: p.items, LastEvaluatedTableName: p.next };
    }),
  );
  ddb.on(DescribeTableCommand).callsFake(answer(() => ({ Table: {} })));
  ddb.on(GetResourcePolicyCommand).callsFake(answer(() => ({})));
  ddb.on(ListTagsOfResourceCommand).callsFake(answer(() => ({ Tags: [] })));
  const json = (handlers: Record<string, (input: Record<string, unknown>) => unknown>) => ({
    send: (c: { operation: string; input: Readonly<Record<string, unknown>> }) =>
      wire.answer(() => (handlers[c.operation] ?? (() => ({})))(c.input as Record<string, unknown>)),
  });
  const secrets = json({
    ListSecrets: (input) => {
      const p = pageOf(quarter, 100, input.NextToken as string | undefined, (i) => ({
        ARN: arnOf('secretsmanager', i),
      }));
      return { SecretList: p.items, NextToken: p.next };
    },
  });
  const ssm = json({
    DescribeParameters: (input) => {
      const p = pageOf(quarter, 50, input.NextToken as string | undefined, (i) => ({
        Name: `/p/${i}`,
        Type: 'SecureString',
      }));
      return { Parameters: p.items, NextToken: p.next };
    },
    ListTagsForResource: () => ({ TagList: [] }),
  });
  const organizations = json({
    DescribeOrganization: () => ({ Organization: { Id: 'o-abc123' } }),
    ListParents: () => ({ Parents: [] }),
    ListPoliciesForTarget: () => ({ Policies: [] }),
  });
  const set = await collectSnapshotSet(
    {
      iam: new IAMClient({ region: REGION }),
      ec2: new EC2Client({ region: REGION }),
      s3For: (region) => new S3Client({ region }),
      kmsFor: (region) => new KMSClient({ region }),
      dynamodbFor: (region) => new DynamoDBClient({ region }),
      secretsFor: () => secrets,
      ssmFor: () => ssm,
      organizations,
    },
    { instanceArn: INSTANCE_ARN, roleName: 'web-role', vpcId: 'vpc-0abc', privateIp: '10.0.1.17' },
    { regions: [REGION] },
  );
  for (const m of mocks) m.restore();
  if (set.stores.length !== stores) throw new Error(`collected ${set.stores.length} stores, not ${stores}`);
  return { ticks: wire.ticks, calls: wire.calls };
}

/**
 * Evaluation of 1,000 stores in three contexts (every read action and the key's Decrypt) against the
 * per-decision cost of the plain evaluator (one request, a 20-statement snapshot) in the same run; and the
 * collection's sequential round trips and calls for 1,000 stores.
 */
const bench = async (): Promise<Figure[]> => {
  const set = largeSet();
  const perContext = set.stores.reduce(
    (n, s) => n + storeReads(s).length + (s.kmsKeyArn !== null ? 1 : 0),
    0,
  );
  const decisions = perContext * 3;
  const now = new Date();
  evaluateReach(set, { now }); // warm the compiled matchers
  const reachMs = best(5, () => evaluateReach(set, { now }));
  const one = {
    ...set.instance,
    requests: [
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::bucket-4/a',
        context: { 'aws:SecureTransport': 'true' },
      },
    ],
  };
  const N = 20_000;
  evaluate(one);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) evaluate(one);
  const evaluateUs = ((performance.now() - t0) * 1000) / N;
  const collected = await collectRoundTrips(STORES);
  // Twice the stores, in twice the pages: the round trips grow with the pages, not with the stores.
  const doubled = await collectRoundTrips(2 * STORES);
  return [
    { name: 'reach.evaluate_ms_1000_stores', value: round(reachMs, 1), unit: 'ms' },
    { name: 'reach.decisions_1000_stores', value: decisions, unit: 'decisions' },
    { name: 'reach.iam_evaluate_us', value: round(evaluateUs, 2), unit: 'us' },
    {
      name: 'reach.iam_evaluate_us_x_decisions',
      value: round((evaluateUs * decisions) / 1000, 1),
      unit: 'ms',
    },
    { name: 'reach.collect_round_trips', value: collected.ticks, unit: 'round trips' },
    { name: 'reach.collect_calls', value: collected.calls, unit: 'calls' },
    { name: 'reach.collect_round_trips_2000_stores', value: doubled.ticks, unit: 'round trips' },
  ];
};

export default bench;
