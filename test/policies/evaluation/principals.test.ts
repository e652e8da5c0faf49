import {
  ACCOUNT,
  allow,
  BUCKET,
  deny,
  doc,
  type GoldenCase,
  OTHER,
  ROLE_ARN,
  runGolden,
  SESSION_ARN,
} from './golden-support';

const PRINCIPAL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html';
const NOTPRINCIPAL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html';
const OBJECT = `${BUCKET}/a.txt`;
/** A bucket in this account whose policy has the given statements. */
const bucket = (...s: Parameters<typeof doc>) => ({
  resources: [{ arn: BUCKET, accountId: ACCOUNT, policy: doc(...s) }],
});
const grantTo = (Principal: NonNullable<Parameters<typeof allow>[2]>['Principal']) =>
  bucket(allow('s3:GetObject', `${BUCKET}/*`, { Principal }));

describe('evaluate: Principal and NotPrincipal in resource policies', () => {
  runGolden([
    {
      name: '"*" names everyone',
      source: PRINCIPAL,
      parts: grantTo('*'),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: '{"AWS": "*"} names everyone',
      source: PRINCIPAL,
      parts: grantTo({ AWS: '*' }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'the session ARN names the session',
      source: `${PRINCIPAL}#principal-role-session`,
      parts: grantTo({ AWS: [SESSION_ARN] }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'another session of the same role is not named by a session ARN',
      source: `${PRINCIPAL}#principal-role-session`,
      parts: grantTo({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/other` }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'the role ARN names every session of the role',
      source: `${PRINCIPAL}#principal-roles`,
      parts: grantTo({ AWS: ROLE_ARN }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'another role is not named',
      source: `${PRINCIPAL}#principal-roles`,
      parts: grantTo({ AWS: `arn:aws:iam::${ACCOUNT}:role/other` }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'the account id names the account: across accounts, with an identity allow, it grants',
      source: `${PRINCIPAL}#principal-accounts`,
      parts: {
        resources: [
          {
            arn: BUCKET,
            accountId: OTHER,
            policy: doc(allow('s3:GetObject', '*', { Principal: { AWS: ACCOUNT } })),
          },
        ],
        identity: [allow('s3:GetObject')],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'a Service principal does not name an IAM role session',
      source: `${PRINCIPAL}#principal-services`,
      parts: grantTo({ Service: 'ec2.amazonaws.com' }),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'a Service principal names that service',
      source: `${PRINCIPAL}#principal-services`,
      parts: {
        ...grantTo({ Service: 'cloudtrail.amazonaws.com' }),
        principal: { arn: 'cloudtrail.amazonaws.com', roleArn: undefined },
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'a deny naming the role ARN applies to its sessions',
      source: `${PRINCIPAL}#principal-roles`,
      parts: { ...bucket(deny('s3:*', '*', { Principal: { AWS: ROLE_ARN } })), identity: [allow('s3:*')] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
    },
    {
      name: 'a deny naming another account does not apply',
      source: `${PRINCIPAL}#principal-accounts`,
      parts: {
        ...bucket(deny('s3:*', '*', { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } })),
        identity: [allow('s3:*')],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'NotPrincipal Deny: the listed session is exempt',
      source: NOTPRINCIPAL,
      parts: {
        ...bucket(
          deny('s3:*', '*', {
            NotPrincipal: { AWS: [SESSION_ARN, ROLE_ARN, `arn:aws:iam::${ACCOUNT}:root`] },
          }),
        ),
        identity: [allow('s3:*')],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'NotPrincipal Deny: listing only the role ARN does not exempt its session',
      source: NOTPRINCIPAL,
      parts: { ...bucket(deny('s3:*', '*', { NotPrincipal: { AWS: ROLE_ARN } })), identity: [allow('s3:*')] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
    },
    {
      name: 'NotPrincipal Deny always denies a principal with a permissions boundary',
      source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
      parts: {
        ...bucket(deny('s3:*', '*', { NotPrincipal: { AWS: SESSION_ARN } })),
        identity: [allow('s3:*')],
        permissionsBoundary: doc(allow('*')),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
    },
    {
      name: 'a resource-policy statement without Principal applies to no one',
      source: PRINCIPAL,
      parts: bucket(allow('s3:GetObject')),
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
  ] satisfies GoldenCase[]);
});
