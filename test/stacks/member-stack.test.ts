import type { PolicyDocument } from '../../policies/policy-document';
import { ACTS_IN_MEMBER_ACCOUNTS } from '../../policies/responder-statements';
import { loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

describe('Program: member stack (stackKind member)', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram({ stackKind: 'member', responderAccountId: '999988887777' });
  });

  it('deploys only the MemberAccess role and its policy', () => {
    const custom = rs.filter((r) => !r.type.startsWith('sequester:') && r.type !== 'pulumi:pulumi:Stack');
    expect(custom.map((r) => r.type).sort()).toEqual(['aws:iam/role:Role', 'aws:iam/rolePolicy:RolePolicy']);
  });

  it('trusts the responder account root, narrowed to the responder roles that act on instances', () => {
    const role = ofType(rs, 'aws:iam/role:Role')[0] as Recorded;
    expect(role.inputs.name).toBe('sequester-member-access');
    const trust = parseJson(role.inputs.assumeRolePolicy) as PolicyDocument;
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: ['arn:aws:iam::999988887777:root'] },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': [...ACTS_IN_MEMBER_ACCOUNTS].map(
              (l) => `arn:aws:iam::999988887777:role/sequester/sequester-${l}`,
            ),
          },
        },
      }),
    ]);
  });

  it('scopes its statements to its own account', () => {
    const policy = parseJson(ofType(rs, 'aws:iam/rolePolicy:RolePolicy')[0]?.inputs.policy) as PolicyDocument;
    const resources = policy.Statement.flatMap((s) =>
      typeof s.Resource === 'string' ? [s.Resource] : [...(s.Resource ?? [])],
    );
    const accounts = new Set(resources.flatMap((r) => /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(r)?.[1] ?? []));
    expect([...accounts]).toEqual(['123456789012']);
  });
});
