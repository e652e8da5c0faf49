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

const DENYALLOW =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html';
const BASICS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html';
const CROSS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html';
const SCP =
  'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html';
const RCP = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html';
const BOUNDARY = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html';
const SESSION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session';

const OBJECT = `${BUCKET}/a.txt`;
const bucketIn = (accountId: string, ...statements: Parameters<typeof doc>) => [
  { arn: BUCKET, accountId, policy: doc(...statements) },
];
const FULL = doc(allow('*'));

describe('evaluate: the evaluation chain', () => {
  runGolden([
    {
      name: 'no policy allows: implicit deny',
      source: DENYALLOW,
      parts: {},
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: [],
    },
    {
      name: 'an identity policy allow grants within the account',
      source: BASICS,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/*`)] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: ['identity:app'],
    },
    {
      name: 'an explicit deny in the identity policy overrides its allow',
      source: DENYALLOW,
      parts: { identity: [allow('s3:*'), deny('s3:GetObject')] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
      decidedBy: ['identity:app'],
    },
    {
      name: 'an explicit deny in the bucket policy overrides an identity allow',
      source: DENYALLOW,
      parts: {
        identity: [allow('s3:*')],
        resources: bucketIn(ACCOUNT, deny('s3:GetObject', `${BUCKET}/*`, { Principal: '*' })),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
      decidedBy: [`resource:${BUCKET}`],
    },
    {
      name: 'an explicit deny in an SCP overrides every allow',
      source: SCP,
      parts: { identity: [allow('*')], scps: [[FULL], [doc(allow('*'), deny('s3:*'))]] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
      decidedBy: ['scp:level1:0'],
    },
    {
      name: 'every SCP level must allow: a level without an allow denies',
      source: SCP,
      parts: { identity: [allow('*')], scps: [[FULL], [doc(allow('ec2:*'))], [FULL]] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: ['scp:level1'],
    },
    {
      name: 'SCPs that allow at every level let the identity policy decide',
      source: SCP,
      parts: { identity: [allow('s3:GetObject')], scps: [[FULL], [doc(allow('s3:*'))]] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: ['identity:app'],
    },
    {
      name: 'an SCP allow never grants on its own',
      source: SCP,
      parts: { scps: [[FULL]] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'an empty SCP chain means no SCPs attached: no restriction',
      source: SCP,
      parts: { identity: [allow('s3:GetObject')], scps: [] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'every RCP level of the resource account must allow',
      source: RCP,
      parts: {
        identity: [allow('s3:GetObject')],
        resources: [{ arn: BUCKET, accountId: ACCOUNT, policy: null }],
        rcps: { [ACCOUNT]: [[FULL], [doc(allow('sqs:*', '*', { Principal: '*' }))]] },
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: [`rcp:${ACCOUNT}:level1`],
    },
    {
      name: 'an RCP deny overrides the identity allow',
      source: RCP,
      parts: {
        identity: [allow('s3:GetObject')],
        rcps: {
          [ACCOUNT]: [[doc(allow('*', '*', { Principal: '*' }), deny('s3:*', '*', { Principal: '*' }))]],
        },
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
      decidedBy: [`rcp:${ACCOUNT}:level0:0`],
    },
    {
      name: 'RCPs never grant',
      source: RCP,
      parts: { rcps: { [ACCOUNT]: [[doc(allow('*', '*', { Principal: '*' }))]] } },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'RCPs of another account do not govern this account’s resources',
      source: RCP,
      parts: { identity: [allow('s3:GetObject')], rcps: { [OTHER]: [[doc()]] } },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'a permissions boundary without the action limits the identity allow',
      source: BOUNDARY,
      parts: { identity: [allow('s3:*')], permissionsBoundary: doc(allow('ec2:*')) },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: ['boundary'],
    },
    {
      name: 'identity and boundary both allowing grants',
      source: BOUNDARY,
      parts: { identity: [allow('s3:*')], permissionsBoundary: doc(allow('s3:GetObject')) },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: ['identity:app', 'boundary'],
    },
    {
      name: 'a boundary allow alone grants nothing',
      source: BOUNDARY,
      parts: { permissionsBoundary: doc(allow('s3:*')) },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'session policies limit the identity allow',
      source: SESSION,
      parts: { identity: [allow('s3:*')], sessionPolicies: [doc(allow('s3:PutObject'))] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: ['session'],
    },
    {
      name: 'any one of several session policies allowing is enough',
      source: SESSION,
      parts: {
        identity: [allow('s3:*')],
        sessionPolicies: [doc(allow('s3:PutObject')), doc(allow('s3:Get*'))],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: ['identity:app', 'session:1'],
    },
    {
      name: 'same account: a bucket policy naming the role session grants without any identity policy',
      source: DENYALLOW,
      parts: {
        resources: bucketIn(
          ACCOUNT,
          allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: SESSION_ARN } }),
        ),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: [`resource:${BUCKET}`],
    },
    {
      name: 'same account: a grant to the session ARN is not limited by the boundary',
      source: BOUNDARY,
      parts: {
        permissionsBoundary: doc(allow('ec2:*')),
        resources: bucketIn(
          ACCOUNT,
          allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: SESSION_ARN } }),
        ),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'same account: a grant to the role ARN grants without identity policy',
      source: DENYALLOW,
      parts: {
        resources: bucketIn(ACCOUNT, allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE_ARN } })),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'same account: a grant to the role ARN is limited by the boundary',
      source: BOUNDARY,
      parts: {
        permissionsBoundary: doc(allow('ec2:*')),
        resources: bucketIn(ACCOUNT, allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE_ARN } })),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'same account: a grant to the role ARN is limited by session policies',
      source: SESSION,
      parts: {
        sessionPolicies: [doc(allow('ec2:*'))],
        resources: bucketIn(ACCOUNT, allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE_ARN } })),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'same account: a grant to the account root needs an identity allow too',
      source:
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts',
      parts: {
        resources: bucketIn(
          ACCOUNT,
          allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
        ),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'cross-account: the identity allow alone is not enough',
      source: CROSS,
      parts: {
        identity: [allow('s3:GetObject')],
        resources: [{ arn: BUCKET, accountId: OTHER, policy: null }],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
      decidedBy: [`resource:${BUCKET}`],
    },
    {
      name: 'cross-account: the bucket policy alone is not enough',
      source: CROSS,
      parts: {
        resources: bucketIn(OTHER, allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ACCOUNT } })),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'cross-account: identity policy and bucket policy both allowing grants',
      source: CROSS,
      parts: {
        identity: [allow('s3:GetObject', `${BUCKET}/*`)],
        resources: bucketIn(
          OTHER,
          allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
        ),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: [`resource:${BUCKET}`, 'identity:app'],
    },
    {
      name: 'cross-account: the resource account’s RCPs apply, not the principal’s',
      source: RCP,
      parts: {
        identity: [allow('s3:GetObject')],
        resources: bucketIn(OTHER, allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ACCOUNT } })),
        rcps: { [OTHER]: [[doc(deny('s3:*', '*', { Principal: '*' }))]], [ACCOUNT]: [[FULL]] },
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ExplicitDeny',
      decidedBy: [`rcp:${OTHER}:level0:0`],
    },
  ] satisfies GoldenCase[]);
});
