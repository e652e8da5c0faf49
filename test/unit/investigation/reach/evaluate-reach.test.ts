import { evaluateReach } from '../../../../lambdas/core/investigation/reach/evaluate-reach';
import { ReachReport } from '../../../../lambdas/core/investigation/reach/report';
import {
  ACCOUNT,
  allow,
  BUCKET,
  delegatingKeyPolicy,
  deny,
  doc,
  KEY,
  OTHER,
  REGION,
  ROLE_ARN,
  SECRET,
  s3Store,
  snapshotSet,
  TABLE,
} from './reach-fixtures';

const NOW = new Date('2026-11-30T05:00:00Z');
const reach = (set: Parameters<typeof evaluateReach>[0]) => {
  const report = evaluateReach(set, { now: NOW });
  // Every report is what reach.json's schema says it is.
  expect(ReachReport.safeParse(report).success).toBe(true);
  return report;
};
const store = (report: ReturnType<typeof evaluateReach>, arn: string, via = ROLE_ARN) => {
  const s = report.stores.find((x) => x.arn === arn && x.via === via);
  if (s === undefined) throw new Error(`no row for ${arn} via ${via}`);
  return s;
};
const secretStore = {
  arn: SECRET,
  type: 'secretsmanager' as const,
  region: REGION,
  accountId: ACCOUNT,
  kmsKeyArn: KEY,
  tags: {},
};

describe('evaluateReach', () => {
  it('a bucket policy in another account granting the role makes the bucket readable; without it, not', () => {
    const bucketPolicy = doc(
      allow(['s3:GetObject', 's3:ListBucket'], [BUCKET, `${BUCKET}/*`], { Principal: { AWS: ROLE_ARN } }),
    );
    const identity = [allow(['s3:GetObject', 's3:ListBucket'])];
    const granted = reach(
      snapshotSet({
        identity,
        stores: [s3Store(BUCKET, { accountId: OTHER })],
        instance: { resources: [{ arn: BUCKET, accountId: OTHER, policy: bucketPolicy }] },
      }),
    );
    expect(store(granted, BUCKET).fromInstance.readable).toBe('yes');
    expect(store(granted, BUCKET).fromInstance.actions[0]?.decidedBy.map((d) => d.policy)).toContain(
      `resource:${BUCKET}`,
    );
    const without = reach(
      snapshotSet({
        identity,
        stores: [s3Store(BUCKET, { accountId: OTHER })],
        instance: { resources: [{ arn: BUCKET, accountId: OTHER, policy: null }] },
      }),
    );
    expect(store(without, BUCKET).fromInstance.readable).toBe('no');
  });

  it('a secret whose key policy does not delegate to the account is unreadable, even with IAM allowing Decrypt', () => {
    const adminOnly = doc(
      allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/key-admin` } }),
    );
    const identity = [allow(['secretsmanager:GetSecretValue', 'kms:Decrypt'])];
    const locked = reach(
      snapshotSet({
        identity,
        stores: [secretStore],
        instance: { resources: [{ arn: KEY, accountId: ACCOUNT, policy: adminOnly }] },
      }),
    );
    const row = store(locked, SECRET).fromInstance;
    expect(row.readable).toBe('no');
    expect(row.actions.map((a) => [a.action, a.decision])).toEqual([
      ['secretsmanager:GetSecretValue', 'Allowed'],
      ['kms:Decrypt', 'ImplicitDeny'],
    ]);
    const delegated = reach(
      snapshotSet({
        identity,
        stores: [secretStore],
        instance: { resources: [{ arn: KEY, accountId: ACCOUNT, policy: delegatingKeyPolicy }] },
      }),
    );
    expect(store(delegated, SECRET).fromInstance.readable).toBe('yes');
  });

  it('a bucket that only admits its VPC endpoint is readable from the instance, not from the internet', () => {
    const vpcOnly = doc(
      deny('s3:*', [BUCKET, `${BUCKET}/*`], {
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0s3' } },
      }),
    );
    const set = snapshotSet({
      identity: [allow(['s3:GetObject', 's3:ListBucket'])],
      stores: [s3Store()],
      instance: { resources: [{ arn: BUCKET, accountId: ACCOUNT, policy: vpcOnly }] },
    });
    set.target.vpcEndpoints.push({ service: 's3', id: 'vpce-0s3', region: REGION });
    const report = reach(set);
    expect(store(report, BUCKET).fromInstance.readable).toBe('yes');
    expect(store(report, BUCKET).fromInternet.readable).toBe('no');
    expect(store(report, BUCKET).fromInternet.actions[0]?.decision).toBe('ExplicitDeny');
    expect(report.summary).toMatchObject({
      reachableBeforeIsolation: 1,
      reachableFromInternet: 0,
      reachableAfterIsolation: 0,
    });
  });

  it("the VPC endpoint's policy also decides the instance's reads through it, not the internet's", () => {
    // Prepare: the S3 endpoint of the VPC admits only another bucket; the identity grants every bucket.
    const set = snapshotSet({
      identity: [allow(['s3:GetObject', 's3:ListBucket'])],
      stores: [s3Store()],
      instance: {
        vpcEndpoints: [
          {
            id: 'vpce-0s3',
            policy: doc(
              allow('s3:*', ['arn:aws:s3:::app-assets', 'arn:aws:s3:::app-assets/*'], { Principal: '*' }),
            ),
          },
        ],
      },
    });
    set.target.vpcEndpoints.push({ service: 's3', id: 'vpce-0s3', region: REGION, type: 'Gateway' });
    // Act
    const report = reach(set);
    // Assess: from the instance the endpoint refuses it; stolen credentials used elsewhere do not pass it.
    expect(store(report, BUCKET).fromInstance.readable).toBe('no');
    expect(store(report, BUCKET).fromInstance.actions[0]?.decidedBy).toEqual([
      { policy: 'vpce:vpce-0s3', statement: -1 },
    ]);
    expect(store(report, BUCKET).fromInternet.readable).toBe('yes');
  });

  it('an interface endpoint without private DNS leaves the network keys unknown: conditional', () => {
    const vpcOnly = doc(
      deny('s3:*', [BUCKET, `${BUCKET}/*`], {
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0s3' } },
      }),
    );
    const set = snapshotSet({
      identity: [allow(['s3:GetObject', 's3:ListBucket'])],
      stores: [s3Store()],
      instance: { resources: [{ arn: BUCKET, accountId: ACCOUNT, policy: vpcOnly }] },
    });
    set.target.vpcEndpoints.push({
      service: 's3',
      id: 'vpce-0s3',
      region: REGION,
      type: 'Interface',
      privateDns: false,
    });
    expect(store(reach(set), BUCKET).fromInstance.readable).toBe('conditional');
  });

  it('an SCP denying a service makes its stores unreadable and leaves the others', () => {
    const report = reach(
      snapshotSet({
        identity: [allow(['s3:GetObject', 'secretsmanager:GetSecretValue', 'kms:Decrypt'])],
        stores: [s3Store(), secretStore],
        instance: {
          scps: [[doc(allow('*'))], [doc(allow('*'), deny('secretsmanager:*'))]],
          resources: [{ arn: KEY, accountId: ACCOUNT, policy: delegatingKeyPolicy }],
        },
      }),
    );
    expect(store(report, BUCKET).fromInstance.readable).toBe('yes');
    expect(store(report, SECRET).fromInstance.readable).toBe('no');
    expect(store(report, SECRET).fromInstance.actions[0]?.decidedBy).toEqual([
      { policy: 'scp:level1:0', statement: 1 },
    ]);
  });

  it('an RCP denying callers outside the organization: allowed inside it, denied outside, conditional when the organization is unknown', () => {
    const rcp = doc(
      allow('*', '*', { Principal: '*' }),
      deny('s3:*', '*', {
        Principal: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123' } },
      }),
    );
    const set = (orgId: string | undefined) => {
      const s = snapshotSet({
        identity: [allow('s3:GetObject')],
        stores: [s3Store()],
        instance: { rcps: { [ACCOUNT]: [[rcp]] } },
      });
      if (orgId !== undefined) s.target.orgId = orgId;
      return s;
    };
    expect(store(reach(set('o-abc123')), BUCKET).fromInstance.readable).toBe('yes');
    expect(store(reach(set('o-other')), BUCKET).fromInstance.readable).toBe('no');
    const unknownOrg = store(reach(set(undefined)), BUCKET).fromInstance;
    expect(unknownOrg.readable).toBe('conditional');
    expect(unknownOrg.actions[0]?.unknownKeys).toEqual(['aws:principalorgid']);
  });

  it('a role the session may assume adds the stores it reads; after isolation the hop is denied', () => {
    const reports = `arn:aws:iam::${ACCOUNT}:role/reports`;
    const trust = doc(allow('sts:AssumeRole', undefined, { Principal: { AWS: ROLE_ARN } }));
    delete (trust.Statement[0] as { Resource?: unknown }).Resource;
    const tableStore = {
      arn: TABLE,
      type: 'dynamodb' as const,
      region: REGION,
      accountId: ACCOUNT,
      kmsKeyArn: null,
      tags: { pii: 'yes' },
    };
    const set = snapshotSet({
      identity: [allow('sts:AssumeRole', reports)],
      stores: [tableStore],
      roles: [
        {
          roleArn: reports,
          trustPolicy: trust,
          snapshot: {
            ...snapshotSet({}).instance,
            principal: {
              arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reports/sequester-reach`,
              accountId: ACCOUNT,
              roleArn: reports,
              tags: {},
            },
            identityPolicies: [
              { name: 'inline:read', document: doc(allow(['dynamodb:GetItem', 'dynamodb:Query'], TABLE)) },
            ],
          },
        },
      ],
    });
    const report = reach(set);
    expect(store(report, TABLE).fromInstance.readable).toBe('no');
    const viaRole = store(report, TABLE, reports);
    expect(viaRole.fromInstance.readable).toBe('yes');
    expect(viaRole.classification).toEqual({ pii: 'yes' });
    expect(viaRole.afterIsolation.readable).toBe('no');
    expect(viaRole.afterIsolation.actions[0]).toMatchObject({
      action: 'sts:AssumeRole',
      decision: 'ExplicitDeny',
    });
    expect(report.chainedRoles).toEqual([
      {
        roleArn: reports,
        depth: 1,
        from: ROLE_ARN,
        assume: { fromInstance: 'Allowed', fromInternet: 'Allowed', afterIsolation: 'ExplicitDeny' },
      },
    ]);
    expect(report.summary).toMatchObject({
      reachableBeforeIsolation: 1,
      classifiedReachable: 1,
      reachableAfterIsolation: 0,
    });
    // A trust policy that does not name the role stops the chain.
    set.roles[0] = { ...(set.roles[0] as (typeof set.roles)[number]), trustPolicy: doc() };
    expect(reach(set).chainedRoles).toEqual([]);
  });

  it('a store the collector could not read is unknown before isolation, not denied; the deny still decides after', () => {
    const report = reach(
      snapshotSet({
        identity: [allow('s3:*')],
        stores: [s3Store(BUCKET, { unknown: 'GetBucketPolicy: AccessDenied' })],
      }),
    );
    const row = store(report, BUCKET);
    expect(row.fromInstance.readable).toBe('unknown');
    expect(row.unknown).toBe('GetBucketPolicy: AccessDenied');
    expect(row.afterIsolation.readable).toBe('no');
    expect(report.summary.unknown).toBe(1);
  });

  it('a grant that depends on the NAT address the instance leaves by is conditional, not guessed', () => {
    const officeOnly = allow('s3:GetObject', '*', {
      Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
    });
    const report = reach(snapshotSet({ identity: [officeOnly], stores: [s3Store()] }));
    expect(store(report, BUCKET).fromInstance.readable).toBe('conditional');
    expect(store(report, BUCKET).fromInternet.readable).toBe('no');
    expect(report.summary.conditional).toBe(1);
  });

  it('without the deny every readable store is an alarm; with it none is', () => {
    const set = snapshotSet({
      identity: [allow('s3:GetObject')],
      stores: [s3Store(BUCKET, { tags: { 'data-classification': 'customer', team: 'x' } })],
    });
    const withDeny = reach(set);
    expect(withDeny.alarms).toEqual([]);
    expect(store(withDeny, BUCKET).classification).toEqual({ 'data-classification': 'customer' });
    const noDeny = reach({ ...set, isolationDeny: [] });
    expect(noDeny.alarms).toEqual([`${BUCKET} (via ${ROLE_ARN}): yes after isolation`]);
    expect(noDeny.summary.reachableAfterIsolation).toBe(1);
  });
});
