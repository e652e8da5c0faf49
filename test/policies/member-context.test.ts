import { evaluate } from '../../policies/evaluation/evaluate';
import { memberAccessPolicy } from '../../policies/responder-statements';

const MEMBER = '210987654321';
const ctx = { partition: 'aws', accountId: MEMBER, region: 'eu-west-1' };
const instance = `arn:aws:ec2:eu-west-1:${MEMBER}:instance/i-0aaa1111aaaa1111a`;
const role = `arn:aws:iam::${MEMBER}:role/web-role`;

/**
 * The snapshot Lambda captures context evidence in a member account with the MemberAccess role's
 * credentials (lambdas/handlers/snapshot.ts): each capture is its own IAM action, so without them every
 * capture there is AccessDenied, recorded as "unavailable" (review item 9).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
describe('MemberAccess role: context evidence in a member account', () => {
  it.each([
    ['ec2:GetConsoleOutput', instance],
    ['ec2:GetConsoleScreenshot', instance],
    ['ec2:DescribeInstances', '*'],
    ['iam:GetInstanceProfile', `arn:aws:iam::${MEMBER}:instance-profile/web-profile`],
    ['iam:ListRolePolicies', role],
    ['iam:GetRolePolicy', role],
    ['iam:ListAttachedRolePolicies', role],
    ['cloudtrail:LookupEvents', '*'],
  ])('allows %s, as the capture calls it, when evaluated like AWS', (action, resource) => {
    const [result] = evaluate({
      principal: {
        arn: `arn:aws:sts::${MEMBER}:assumed-role/sequester-member-access/sequester-responder`,
        accountId: MEMBER,
        roleArn: `arn:aws:iam::${MEMBER}:role/sequester-member-access`,
      },
      identityPolicies: [{ name: 'member', document: memberAccessPolicy(ctx) }],
      requests: [{ action, resource }],
    });
    expect(result?.decision).toBe('Allowed');
  });
});
