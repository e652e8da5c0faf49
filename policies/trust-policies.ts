import type { PolicyDocument, PolicyStatement } from './policy-document';

/**
 * Trust of a Lambda execution role: the Lambda service, and only on behalf of this account's functions
 * (confused-deputy guard). https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export const lambdaTrust = (accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'LambdaService',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ],
});

/** Trust of a service role used by one resource of this account (Step Functions, API Gateway logs). */
export const serviceTrust = (service: string, accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ServiceOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ],
});

/** `arn:<partition>:iam::<account>:...` -> the account root ARN of that partition. */
const accountRootOf = (arn: string): string => {
  const m = /^arn:([^:]+):iam::(\d{12}):/.exec(arn);
  if (m === null) throw new Error(`not an IAM ARN: ${arn}`);
  return `arn:${m[1]}:iam::${m[2]}:root`;
};
const isRoot = (arn: string) => /^arn:[^:]+:iam::\d{12}:root$/.test(arn);

/**
 * Statements trusting exactly the given principals without naming a user or role in `Principal`. A role
 * or user ARN there is stored as the principal's unique id: saving the policy fails while the principal
 * does not exist yet ("Invalid principal in policy"), and once it is deleted and recreated "the
 * relationship is broken ... even if you recreate the user or role". So each account's root is the
 * principal and `aws:PrincipalArn` (for a role session: the role's ARN, path included) names who in it
 * may assume the role. An account root given as such is trusted without that condition (any principal of
 * the account its own policies allow), in a statement of its own so it never widens the names.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_policy-examples.html#example-delegate-xaccount-rolesapi
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * ArnLike when a pattern has a wildcard (a wildcard is never allowed in `Principal` itself).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
function trustPrincipals(
  sid: string,
  principalArns: ReadonlyArray<string>,
  extra: PolicyStatement['Condition'] = {},
): PolicyStatement[] {
  const roots = principalArns.filter(isRoot);
  const named = principalArns.filter((a) => !isRoot(a));
  const operator = named.some((a) => /[*?]/.test(a)) ? 'ArnLike' : 'ArnEquals';
  const condition = (c: PolicyStatement['Condition']) =>
    c === undefined || Object.keys(c).length === 0 ? {} : { Condition: c };
  return [
    ...(roots.length === 0
      ? []
      : [
          {
            Sid: `${sid}Accounts`,
            Effect: 'Allow' as const,
            Principal: { AWS: [...new Set(roots)] },
            Action: 'sts:AssumeRole',
            ...condition(extra),
          },
        ]),
    ...(named.length === 0
      ? []
      : [
          {
            Sid: sid,
            Effect: 'Allow' as const,
            Principal: { AWS: [...new Set(named.map(accountRootOf))] },
            Action: 'sts:AssumeRole',
            ...condition({ [operator]: { 'aws:PrincipalArn': [...named] }, ...extra }),
          },
        ]),
  ];
}

/**
 * Trust of the MemberAccess role in a member account: only the responder's roles that act on instances,
 * named by `aws:PrincipalArn` under the responder account root (see trustPrincipals): the member stack
 * deploys before or after the responder, and a recreated responder role is trusted again.
 */
export const memberAccessTrust = (responderRoleArns: ReadonlyArray<string>): PolicyDocument => {
  if (responderRoleArns.length === 0) throw new Error('memberAccessTrust needs at least one role ARN');
  return { Version: '2012-10-17', Statement: trustPrincipals('ResponderRolesOnly', responderRoleArns) };
};

/** Trust of a human role (reviewer, on-call): the given principals (or account roots), MFA optional. */
export const humanTrust = (principalArns: ReadonlyArray<string>, requireMfa: boolean): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: trustPrincipals(
    'NamedPrincipals',
    principalArns,
    requireMfa ? { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } : {},
  ),
});
