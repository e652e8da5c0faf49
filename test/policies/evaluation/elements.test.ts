import { ACCOUNT, allow, BUCKET, deny, doc, type GoldenCase, OTHER, runGolden } from './golden-support';

const ACTION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html';
const NOTACTION =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html';
const RESOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html';
const NOTRESOURCE =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html';
const KEYS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
const GRAMMAR = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html';
const OBJECT = `${BUCKET}/a.txt`;

describe('evaluate: Action, Resource and their negations', () => {
  runGolden([
    {
      name: 'action names are case-insensitive',
      source: ACTION,
      parts: { identity: [allow('S3:getobject')] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'a * in an action matches any run of characters',
      source: ACTION,
      parts: { identity: [allow('s3:Get*')] },
      action: 's3:GetObjectVersion',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'a ? in an action matches one character',
      source: ACTION,
      parts: { identity: [allow('iam:???Role')] },
      action: 'iam:GetRole',
      resource: '*',
      expected: 'Allowed',
    },
    {
      name: 'a ? does not match two characters',
      source: ACTION,
      parts: { identity: [allow('iam:??Role')] },
      action: 'iam:GetRole',
      resource: '*',
      expected: 'ImplicitDeny',
    },
    {
      name: 'an action of another service does not match',
      source: ACTION,
      parts: { identity: [allow('s3:*')] },
      action: 'ec2:DescribeInstances',
      resource: '*',
      expected: 'ImplicitDeny',
    },
    {
      name: 'a list of actions matches any of them',
      source: ACTION,
      parts: { identity: [allow(['ec2:*', 's3:GetObject'])] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'NotAction with Allow allows every other action',
      source: NOTACTION,
      parts: { identity: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'NotAction with Allow does not allow the listed action',
      source: NOTACTION,
      parts: { identity: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
      action: 'iam:CreateUser',
      resource: '*',
      expected: 'ImplicitDeny',
    },
    {
      name: 'NotAction with Deny denies every other action',
      source: NOTACTION,
      parts: { identity: [allow('*'), { Effect: 'Deny', NotAction: 's3:*', Resource: '*' }] },
      action: 'ec2:RunInstances',
      resource: '*',
      expected: 'ExplicitDeny',
    },
    {
      name: 'ARNs are case-sensitive',
      source: RESOURCE,
      parts: { identity: [allow('s3:GetObject', 'arn:aws:s3:::Data-Bucket/*')] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'a * in a resource ARN spans slashes',
      source: RESOURCE,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/*`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/a/b/c.txt`,
      expected: 'Allowed',
    },
    {
      name: 'a ? in a resource ARN matches one character',
      source: RESOURCE,
      parts: { identity: [allow('s3:GetObject', `${BUCKET}/?.txt`)] },
      action: 's3:GetObject',
      resource: `${BUCKET}/ab.txt`,
      expected: 'ImplicitDeny',
    },
    {
      name: 'regular-expression characters in an ARN are literal',
      source: RESOURCE,
      parts: { identity: [allow('s3:GetObject', 'arn:aws:s3:::data.bucket/*')] },
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::dataXbucket/a',
      expected: 'ImplicitDeny',
    },
    {
      name: 'the bucket ARN does not cover its objects',
      source: RESOURCE,
      parts: { identity: [allow('s3:GetObject', BUCKET)] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'NotResource with Allow allows every other resource',
      source: NOTRESOURCE,
      parts: { identity: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'NotResource with Deny denies every other resource',
      source: NOTRESOURCE,
      parts: { identity: [allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }] },
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::other/a',
      expected: 'ExplicitDeny',
    },
    {
      name: 'a single Statement object is accepted as IAM accepts it',
      source: GRAMMAR,
      parts: {
        identityPolicies: [
          { name: 'one', document: { Version: '2012-10-17', Statement: allow('s3:GetObject') } },
        ],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
      decidedBy: ['identity:one'],
    },
    {
      name: 'a statement without Action or NotAction matches nothing',
      source: GRAMMAR,
      parts: { identity: [{ Effect: 'Allow', Resource: '*' }] },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'ImplicitDeny',
    },
    {
      name: 'aws:ResourceAccount is the listed resource’s account',
      source: `${KEYS}#condition-keys-resourceaccount`,
      parts: {
        identity: [
          allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:ResourceAccount': OTHER } } }),
        ],
        resources: [
          {
            arn: BUCKET,
            accountId: OTHER,
            policy: doc(allow('s3:GetObject', '*', { Principal: { AWS: ACCOUNT } })),
          },
        ],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'aws:ResourceAccount of an unlisted resource is the principal’s account',
      source: `${KEYS}#condition-keys-resourceaccount`,
      parts: {
        identity: [
          allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } } }),
        ],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'aws:PrincipalAccount is the principal’s account',
      source: `${KEYS}#condition-keys-principalaccount`,
      parts: {
        identity: [
          allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
        ],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      expected: 'Allowed',
    },
    {
      name: 'the request cannot override aws:PrincipalArn',
      source: `${KEYS}#condition-keys-principalarn`,
      parts: {
        identity: [
          allow('*'),
          deny('*', '*', { Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/web-role' } } }),
        ],
      },
      action: 's3:GetObject',
      resource: OBJECT,
      context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/other' },
      expected: 'ExplicitDeny',
    },
  ] satisfies GoldenCase[]);
});
