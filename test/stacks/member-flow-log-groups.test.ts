import type { PolicyDocument } from '../../policies/policy-document';
import { ROLE_POLICY_CHARACTERS, sizesByRole } from './policy-size';
import { loadProgram, ofType, parseJson } from './pulumi-mocks';

/** Config flowLogGroups reaches the MemberAccess policy: the member role reads only those log groups. */
describe('Program: member stack with flowLogGroups', () => {
  it('grants FilterLogEvents on the configured log groups of its own account only', async () => {
    const rs = await loadProgram({
      stackKind: 'member',
      responderAccountId: '999988887777',
      flowLogGroups: '["/vpc/flow-logs*"]',
    });
    const policy = parseJson(ofType(rs, 'aws:iam/rolePolicy:RolePolicy')[0]?.inputs.policy) as PolicyDocument;
    const reads = policy.Statement.filter((s) => s.Action === 'logs:FilterLogEvents');
    expect(reads.map((s) => s.Resource)).toEqual([['arn:aws:logs:*:123456789012:log-group:/vpc/flow-logs*']]);
    // And the role still fits IAM's inline policy quota.
    const sizes = [...sizesByRole(rs).values()];
    expect(sizes).toHaveLength(1);
    expect(sizes[0]).toBeLessThanOrEqual(ROLE_POLICY_CHARACTERS);
  });
});
