import type { PolicyStatement } from '../../policies/policy-document';
import { humanTrust, memberAccessTrust } from '../../policies/trust-policies';

const RESPONDER = '999988887777';
const roles = ['isolate', 'api'].map((l) => `arn:aws:iam::${RESPONDER}:role/sequester/sequester-${l}`);
const principalArns = (s: PolicyStatement | undefined) => {
  const p = s?.Principal;
  if (p === undefined || p === '*') return [String(p)];
  const aws = p.AWS ?? [];
  return typeof aws === 'string' ? [aws] : [...aws];
};

/**
 * A role ARN in a trust policy's Principal is stored as the role's unique id: saving the policy fails
 * while the role does not exist, and a recreated role no longer matches. Trusting the account root and
 * narrowing with aws:PrincipalArn has neither problem.
 */
describe('Module: policies/trust-policies.ts', () => {
  describe('Function: memberAccessTrust', () => {
    it('names only the responder account root as principal, never a role ARN', () => {
      const trust = memberAccessTrust(roles);
      expect(trust.Statement.flatMap(principalArns)).toEqual([`arn:aws:iam::${RESPONDER}:root`]);
    });

    it('narrows the trust to the responder roles, path included, with ArnEquals on aws:PrincipalArn', () => {
      const [s] = memberAccessTrust(roles).Statement;
      expect(s).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': roles } },
      });
    });

    it('keeps the partition of the role ARNs', () => {
      const gov = roles.map((r) => r.replace('arn:aws:', 'arn:aws-us-gov:'));
      expect(memberAccessTrust(gov).Statement.flatMap(principalArns)).toEqual([
        `arn:aws-us-gov:iam::${RESPONDER}:root`,
      ]);
    });

    it('refuses an empty role list rather than trusting the whole account', () => {
      expect(() => memberAccessTrust([])).toThrow(/at least one/);
    });
  });

  describe('Function: humanTrust', () => {
    it('trusts a named role through its account root and aws:PrincipalArn, requiring MFA', () => {
      const role = 'arn:aws:iam::123456789012:role/forensics-team';
      const trust = humanTrust([role], true);
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Principal: { AWS: ['arn:aws:iam::123456789012:root'] },
          Condition: {
            ArnEquals: { 'aws:PrincipalArn': [role] },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        }),
      ]);
    });

    it('trusts a listed account root without a principal condition', () => {
      const trust = humanTrust(['arn:aws:iam::123456789012:root'], true);
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Principal: { AWS: ['arn:aws:iam::123456789012:root'] },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      ]);
    });

    it('keeps a root and named principals of other accounts apart: the root never widens the names', () => {
      const user = 'arn:aws:iam::210987654321:user/alice';
      const trust = humanTrust(['arn:aws:iam::123456789012:root', user], false);
      expect(trust.Statement.map((s) => [principalArns(s), s.Condition])).toEqual([
        [['arn:aws:iam::123456789012:root'], undefined],
        [['arn:aws:iam::210987654321:root'], { ArnEquals: { 'aws:PrincipalArn': [user] } }],
      ]);
    });

    it('matches wildcard principal ARNs with ArnLike', () => {
      const pattern = 'arn:aws:iam::123456789012:role/oncall/*';
      const [s] = humanTrust([pattern], true).Statement;
      expect(s?.Condition?.ArnLike).toEqual({ 'aws:PrincipalArn': [pattern] });
      expect(s?.Condition?.ArnEquals).toBeUndefined();
    });
  });
});
