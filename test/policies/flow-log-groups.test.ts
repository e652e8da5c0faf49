import { evaluate } from '../../policies/evaluation/evaluate';
import type { PolicyDocument } from '../../policies/policy-document';
import { lambdaPolicy, memberAccessPolicy } from '../../policies/responder-statements';

const HOME = '123456789012';
const MEMBER = '210987654321';
const group = (account: string, name: string) => `arn:aws:logs:eu-west-1:${account}:log-group:${name}`;
const resources = {
  ledgerTableArn: `arn:aws:dynamodb:eu-west-1:${HOME}:table/sequester-ledger`,
  vaultBucketArn: 'arn:aws:s3:::sequester-vault',
  vaultKeyArn: `arn:aws:kms:eu-west-1:${HOME}:key/vault`,
  topicArn: `arn:aws:sns:eu-west-1:${HOME}:sequester`,
  stateMachineArn: `arn:aws:states:eu-west-1:${HOME}:stateMachine:sequester`,
  memberRoleName: 'sequester-member-access',
  memberAccountIds: [MEMBER],
};

/** FilterLogEvents on one log group, decided as AWS decides it for a role with this policy. */
function filterLogEvents(account: string, document: PolicyDocument, logGroup: string) {
  const [result] = evaluate({
    principal: {
      arn: `arn:aws:sts::${account}:assumed-role/reader/session`,
      accountId: account,
      roleArn: `arn:aws:iam::${account}:role/reader`,
    },
    identityPolicies: [{ name: 'p', document }],
    requests: [{ action: 'logs:FilterLogEvents', resource: group(account, logGroup) }],
  });
  return result?.decision;
}

/**
 * The flow volume reads the CloudWatch Logs group a flow log names (any name), so by default the
 * activity role may read every group; config `flowLogGroups` narrows that, in the responder account and
 * in member accounts alike.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
describe('config flowLogGroups: which log groups the activity step may read', () => {
  const ctx = { partition: 'aws', accountId: HOME, region: 'eu-west-1' };

  it('reads any group of the account by default', () => {
    const doc = lambdaPolicy('investigate-activity', ctx, resources);
    expect(filterLogEvents(HOME, doc, 'app/payments')).toBe('Allowed');
  });

  it('reads only the named groups when configured, in the responder account', () => {
    const doc = lambdaPolicy('investigate-activity', ctx, {
      ...resources,
      flowLogGroups: ['/vpc/flow-logs*'],
    });
    expect(filterLogEvents(HOME, doc, '/vpc/flow-logs/prod')).toBe('Allowed');
    expect(filterLogEvents(HOME, doc, 'app/payments')).not.toBe('Allowed');
  });

  it('reads only the named groups when configured, through the MemberAccess role', () => {
    const member = { partition: 'aws', accountId: MEMBER, region: '*' };
    const narrowed = memberAccessPolicy(member, { flowLogGroups: ['/vpc/flow-logs*'] });
    expect(filterLogEvents(MEMBER, narrowed, '/vpc/flow-logs/prod')).toBe('Allowed');
    expect(filterLogEvents(MEMBER, narrowed, 'app/payments')).not.toBe('Allowed');
    expect(filterLogEvents(MEMBER, memberAccessPolicy(member), 'app/payments')).toBe('Allowed');
  });

  it('reads no group when configured empty', () => {
    const doc = lambdaPolicy('investigate-activity', ctx, { ...resources, flowLogGroups: [] });
    expect(filterLogEvents(HOME, doc, '/vpc/flow-logs/prod')).not.toBe('Allowed');
  });
});
