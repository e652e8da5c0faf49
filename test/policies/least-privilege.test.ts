import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ArnContext, ResponderResources } from '../../policies/arn-context';
import type { PolicyStatement } from '../../policies/policy-document';
import {
  LAMBDA_NAMES,
  type LambdaName,
  lambdaStatements,
  memberAccessPolicy,
} from '../../policies/responder-statements';
import { sdkActionsOf } from './sdk-calls';

const ctx: ArnContext = { partition: 'aws', accountId: '123456789012', region: 'eu-west-1' };
const res: ResponderResources = {
  ledgerTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/sequester-ledger',
  vaultBucketArn: 'arn:aws:s3:::vault',
  vaultKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:oncall',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:sequester-quarantine',
  memberRoleName: 'sequester-member-access',
  memberAccountIds: ['210987654321'],
  trail: {
    bucketNames: ['org-trail-logs'],
    prefix: '',
    organizationId: 'o-a1b2c3d4e5',
    trailArn: 'arn:aws:cloudtrail:eu-west-1:999988887777:trail/org-trail',
    kmsKeyArns: ['arn:aws:kms:eu-west-1:999988887777:key/trail'],
  },
  flowLogs: {
    bucketNames: ['org-vpc-flow-logs'],
    kmsKeyArns: ['arn:aws:kms:eu-west-1:999988887777:key/flows'],
  },
};

const list = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
const allowed = (st: ReadonlyArray<PolicyStatement>) =>
  st.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));

/**
 * Granted actions the code needs although the static walk cannot prove the call. What an operation
 * needs only for some requests (a VersionId, Object Lock headers, SSE-KMS, tags at creation, a passed
 * role) is the `conditional` list of its entry in local-aws/iam/operations, which the enforcer checks
 * per request; this table is for what remains.
 */
const IMPLIED: Readonly<Record<string, ReadonlyArray<string>>> = {};

/**
 * Reachable in a module the Lambda imports but never called on its path, so not granted. Each entry
 * says which function holds the call.
 */
const ISOLATION_WRITES = [
  'ec2:CreateSecurityGroup',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:CreateNetworkAclEntry',
  'ec2:CreateTags',
  'ec2:DisassociateIamInstanceProfile',
  'ec2:DescribeNetworkInterfaces',
  'iam:GetInstanceProfile',
  'iam:CreatePolicy',
  'iam:AttachRolePolicy',
  'iam:ListAttachedRolePolicies',
  'autoscaling:DetachInstances',
  'elasticloadbalancing:DeregisterTargets',
];
/**
 * Every handler reaches runtime.ts, which imports partitionOf from target-instance.ts (whose
 * describeTarget calls DescribeInstances) and ledger.ts (whose claim and lock release write whole
 * items); only isolation-side Lambdas call those.
 */
const RUNTIME_REACH = ['ec2:DescribeInstances', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];
const EVIDENCE_REACH = [...RUNTIME_REACH];
const NOT_CALLED: Partial<Record<LambdaName, ReadonlyArray<string>>> = {
  // The workflow's bookkeeping only reads and appends to records (ledger.ts also claims and releases).
  notify: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
  'record-failure': ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
  snapshot: EVIDENCE_REACH,
  // poll-snapshots.ts imports snapshot.ts for pollSnapshots; takeSnapshots creates and locks.
  'poll-snapshots': [...EVIDENCE_REACH, 'ec2:CreateSnapshots', 'ec2:LockSnapshot'],
  'plan-export': EVIDENCE_REACH,
  'export-segment': EVIDENCE_REACH,
  'complete-export': EVIDENCE_REACH,
  'seal-manifest': EVIDENCE_REACH,
  // Both write through vault-write.ts, which imports evidencePrefix from vault.ts (assertLockedVault and
  // the zero objects live there too), and loadRecord from evidence-record.ts; the reach step imports
  // globalEventsRegion from cloudtrail-capture.ts, whose lookupUserEvents calls LookupEvents.
  'investigate-activity': [...EVIDENCE_REACH, 's3:GetBucketObjectLockConfiguration'],
  'investigate-reach': [
    ...EVIDENCE_REACH,
    's3:GetBucketObjectLockConfiguration',
    's3:GetObject',
    'cloudtrail:LookupEvents',
  ],
  // seal-object.ts imports evidencePrefix from vault.ts; the report step reads the ledger and the
  // vault only (runtime.ts is not on its path, evidence-record.ts is).
  'investigate-exposure': [...EVIDENCE_REACH, 's3:GetBucketObjectLockConfiguration', 's3:GetObject'],
  'issue-report': [...EVIDENCE_REACH, 's3:GetBucketObjectLockConfiguration'],
  // isolate.ts imports nacl-deny.ts for addNaclEntries; only release calls removeNaclEntries.
  isolate: ['ec2:DeleteNetworkAclEntry'],
  // api-routes.ts calls planIsolation (describe calls only) and release; plan.ts imports the modules
  // whose other functions isolate, and release.ts imports nacl-deny.ts and protect-instance.ts.
  api: ISOLATION_WRITES,
};

const entry = (name: string) => path.resolve(__dirname, '../../lambdas/handlers', `${name}.ts`);
const present = LAMBDA_NAMES.filter((n) => existsSync(entry(n)));

describe('Policies: per-Lambda statements against the SDK calls of lambdas/', () => {
  it('has a handler file for the Lambdas whose code has landed', () => {
    expect(present).toEqual(expect.arrayContaining(['isolate', 'intake', 'api']));
  });

  describe.each(present)('Lambda: %s', (name) => {
    const used = sdkActionsOf(entry(name));
    // With snapshot locking on, every call the code can make is in use.
    const statements = lambdaStatements(name, ctx, res, { snapshotLock: true });
    const grants = allowed(statements);

    it('allows every AWS action its code calls', () => {
      const skipped = new Set(NOT_CALLED[name] ?? []);
      const missing = [...used.actions].filter((a) => !skipped.has(a) && !grants.some((g) => matches(g, a)));
      expect(missing).toEqual([]);
    });

    it('allows no action its code does not call', () => {
      const needed = new Set([
        ...[...used.actions].flatMap((a) => [a, ...(IMPLIED[a] ?? [])]),
        ...used.conditional,
      ]);
      expect(grants.filter((g) => !needed.has(g))).toEqual([]);
    });

    it('never allows a wildcard action, and `*` resources only for actions without resource-level permissions', () => {
      for (const s of statements) {
        expect(list(s.Action).filter((a) => a.includes('*'))).toEqual([]);
        if (list(s.Resource).includes('*') && s.Effect === 'Allow') {
          expect(
            list(s.Action).every((a) =>
              /^(ec2|autoscaling|elasticloadbalancing):Describe|^cloudtrail:(LookupEvents|ListPublicKeys)$|^sts:GetAccessKeyInfo$|^s3:ListAllMyBuckets$|^secretsmanager:ListSecrets$|^ssm:DescribeParameters$|^dynamodb:ListTables$|^inspector2:ListFindings$|^guardduty:(ListDetectors|ListFindings|GetFindings)$|^organizations:(DescribeOrganization|DescribePolicy|ListPoliciesForTarget|ListParents)$/.test(
                a,
              ),
            ),
          ).toBe(true);
        }
      }
    });
  });

  it('grants ec2:LockSnapshot to the snapshot Lambda only when snapshots are locked', () => {
    const off = allowed(lambdaStatements('snapshot', ctx, res));
    const on = allowed(lambdaStatements('snapshot', ctx, res, { snapshotLock: true }));
    expect(off).not.toContain('ec2:LockSnapshot');
    expect(on.filter((a) => !off.includes(a))).toEqual(['ec2:LockSnapshot']);
    expect(sdkActionsOf(entry('snapshot')).actions.has('ec2:LockSnapshot')).toBe(true);
    for (const name of LAMBDA_NAMES.filter((n) => n !== 'snapshot')) {
      expect(allowed(lambdaStatements(name, ctx, res, { snapshotLock: true }))).not.toContain(
        'ec2:LockSnapshot',
      );
    }
  });

  it('gives every policy unique statement ids', () => {
    for (const name of LAMBDA_NAMES) {
      const sids = lambdaStatements(name, ctx, res).map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
    }
    const member = memberAccessPolicy(ctx).Statement.map((s) => s.Sid);
    expect(new Set(member).size).toBe(member.length);
  });

  it('lets the isolation Lambda assume only the MemberAccess role of configured member accounts', () => {
    const assume = lambdaStatements('isolate', ctx, res).filter((s) =>
      list(s.Action).includes('sts:AssumeRole'),
    );
    expect(assume).toEqual([
      expect.objectContaining({ Resource: ['arn:aws:iam::210987654321:role/sequester-member-access'] }),
    ]);
  });

  it('forbids the responder to edit its own roles', () => {
    for (const st of [lambdaStatements('isolate', ctx, res), memberAccessPolicy(ctx).Statement]) {
      const deny = st.find((s) => s.Effect === 'Deny');
      expect(deny).toMatchObject({
        Action: expect.arrayContaining(['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:PassRole']),
        Resource: expect.arrayContaining(['arn:aws:iam::123456789012:role/sequester/*']),
      });
    }
  });

  describe.each([
    ['isolate', lambdaStatements('isolate', ctx, res)],
    ['api', lambdaStatements('api', ctx, res)],
    ['MemberAccess', memberAccessPolicy(ctx).Statement],
  ] as const)('IAM writes of %s', (_name, statements) => {
    const iamAllows = statements.filter(
      (s) => s.Effect === 'Allow' && list(s.Action).some((a) => a.startsWith('iam:') && a !== 'iam:PassRole'),
    );
    const policyArn = 'arn:aws:iam::123456789012:policy/sequester/sequester-quarantined-instances';

    it('writes no inline policy on any role', () => {
      const actions = iamAllows.flatMap((s) => list(s.Action));
      expect(actions.filter((a) => /^iam:(Put|Delete)RolePolicy$/.test(a))).toEqual([]);
    });

    it('attaches only the quarantined-instances policy (iam:PolicyARN), and detaches nothing', () => {
      for (const s of iamAllows.filter((x) => list(x.Action).includes('iam:AttachRolePolicy'))) {
        expect(list(s.Action)).toEqual(['iam:AttachRolePolicy']);
        expect(s.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': [policyArn] } });
      }
      expect(iamAllows.flatMap((s) => list(s.Action))).not.toContain('iam:DetachRolePolicy');
    });

    it('writes policy versions on that one policy ARN only', () => {
      const versionWrites = iamAllows.filter((s) =>
        list(s.Action).some((a) => /^iam:(Create|Delete)Policy(Version)?$/.test(a)),
      );
      expect(versionWrites.length).toBeGreaterThan(0);
      for (const s of versionWrites) expect(list(s.Resource)).toEqual([policyArn]);
    });

    it('reads other policies only (the proof of revocation reads the role policies back)', () => {
      const elsewhere = iamAllows.filter((s) => !list(s.Resource).every((r) => r === policyArn));
      for (const s of elsewhere)
        for (const a of list(s.Action))
          expect(a).toMatch(/^iam:(Get|List)|^iam:AttachRolePolicy$|^iam:PassRole$/);
    });
  });
});
