// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are IAM policy variables, not template literals
import { allow, BUCKET, deny, doc, type GoldenCase, runGolden } from './golden-support';

const VARS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html';
const KEYS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
const userHome = allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`);

describe('evaluate: policy variables', () => {
  runGolden([
    {
      name: '${aws:username} in a resource takes the request’s value',
      source: `${VARS}#policy-vars-using-variables`,
      parts: { identity: [userHome] },
      action: 's3:GetObject',
      resource: `${BUCKET}/home/alice/a.txt`,
      context: { 'aws:username': 'alice' },
      expected: 'Allowed',
    },
    {
      name: '${aws:username} does not cover another user’s home',
      source: `${VARS}#policy-vars-using-variables`,
      parts: { identity: [userHome] },
      action: 's3:GetObject',
      resource: `${BUCKET}/home/bob/a.txt`,
      context: { 'aws:username': 'alice' },
      expected: 'ImplicitDeny',
    },
    {
      name: 'an unresolvable variable makes the statement not apply',
      source: `${VARS}#policy-vars-no-value`,
      parts: { identity: [userHome] },
      action: 's3:GetObject',
      resource: `${BUCKET}/home//a.txt`,
      expected: 'ImplicitDeny',
    },
    {
      name: 'a Deny with an unresolvable variable does not apply',
      source: `${VARS}#policy-vars-no-value`,
      parts: {
        identity: [
          allow('s3:*'),
          deny('s3:*', '*', { Condition: { StringNotEquals: { 's3:prefix': '${aws:username}' } } }),
        ],
      },
      action: 's3:GetObject',
      resource: `${BUCKET}/a.txt`,
      context: { 's3:prefix': 'x' },
      expected: 'Allowed',
    },
    {
      name: 'a multivalued key cannot be a variable',
      source:
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${aws:TagKeys}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/a/x`,
      context: { 'aws:TagKeys': ['a'] },
      expected: 'ImplicitDeny',
    },
    {
      name: 'variable names are case-insensitive',
      source: VARS,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/home/\${AWS:UserName}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/home/alice/a`,
      context: { 'aws:username': 'alice' },
      expected: 'Allowed',
    },
    {
      name: '${aws:PrincipalTag/team} takes the principal’s tag',
      source: `${VARS}#policy-vars-tags`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${aws:PrincipalTag/team}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/red/a`,
      expected: 'Allowed',
    },
    {
      name: 'a variable in a condition value',
      source: `${VARS}#policy-vars-wheretouse`,
      parts: {
        identity: [
          allow('s3:ListBucket', BUCKET, {
            Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } },
          }),
        ],
      },
      action: 's3:ListBucket',
      resource: BUCKET,
      context: { 's3:prefix': 'home/alice/docs', 'aws:username': 'alice' },
      expected: 'Allowed',
    },
    {
      name: 'the default value is used when the key is absent',
      source: `${VARS}#policy-vars-default-values`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${aws:username, 'shared'}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/shared/a`,
      expected: 'Allowed',
    },
    {
      name: 'the default value is not used when the key is present',
      source: `${VARS}#policy-vars-default-values`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${aws:username, 'shared'}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/shared/a`,
      context: { 'aws:username': 'alice' },
      expected: 'ImplicitDeny',
    },
    {
      name: '${*} is a literal asterisk, not a wildcard',
      source: `${VARS}#policy-vars-specialchars`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${*}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/x/a`,
      expected: 'ImplicitDeny',
    },
    {
      name: '${*} matches an asterisk',
      source: `${VARS}#policy-vars-specialchars`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${*}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/*/a`,
      expected: 'Allowed',
    },
    {
      name: '${?} matches only a question mark',
      source: `${VARS}#policy-vars-specialchars`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/a\${?}`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/ab`,
      expected: 'ImplicitDeny',
    },
    {
      name: '${$} is a literal dollar',
      source: `${VARS}#policy-vars-specialchars`,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/\${$}{x}`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/\${x}`,
      expected: 'Allowed',
    },
    {
      name: 'a substituted value is literal: a * in the user name is no wildcard',
      source: VARS,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/home/\${aws:username}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/home/bob/a`,
      context: { 'aws:username': '*' },
      expected: 'ImplicitDeny',
    },
    {
      name: 'variables are literal text in a policy without Version 2012-10-17',
      source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html',
      parts: {
        identityPolicies: [
          {
            name: 'old',
            document: {
              Version: '2008-10-17',
              Statement: [allow('s3:GetObject', `${BUCKET}/\${aws:username}`)],
            },
          },
        ],
      },
      action: 's3:GetObject',
      resource: `${BUCKET}/alice`,
      context: { 'aws:username': 'alice' },
      expected: 'ImplicitDeny',
    },
    {
      name: 'aws:PrincipalArn of a session is its role ARN, usable as a variable',
      source: `${KEYS}#condition-keys-principalarn`,
      parts: {
        identity: [
          allow('s3:GetObject', '*', { Condition: { StringEquals: { 's3:prefix': '${aws:PrincipalArn}' } } }),
        ],
      },
      action: 's3:GetObject',
      resource: `${BUCKET}/a`,
      context: { 's3:prefix': 'arn:aws:iam::111122223333:role/web-role' },
      expected: 'Allowed',
    },
    {
      name: 'a variable in ArnLike stays literal',
      source: VARS,
      parts: {
        identity: [
          allow('s3:GetObject', '*', {
            Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:${aws:username}' } },
          }),
        ],
      },
      action: 's3:GetObject',
      resource: `${BUCKET}/a`,
      context: { 'aws:username': 't*', 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:topic' },
      expected: 'ImplicitDeny',
    },
  ] satisfies GoldenCase[]);
  it('keeps doc() documents evaluable (Version 2012-10-17)', () => {
    expect(doc().Version).toBe('2012-10-17');
  });
});
