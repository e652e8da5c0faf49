import { evaluateWithUnknownKeys } from '../../../policies/evaluation';
import { allow, BUCKET, deny, doc, type GoldenCase, ROLE_ARN, runGolden, snapshot } from './golden-support';

const ENDPOINT_POLICIES = 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html';
const OBJECT = `${BUCKET}/report.csv`;
const THROUGH = { 'aws:SourceVpce': 'vpce-0s3' };
/** An S3 gateway endpoint policy: Principal must be `*`; the caller is named with aws:PrincipalArn. */
const onlyWebRole = doc(
  allow('s3:GetObject', `${BUCKET}/*`, {
    Principal: '*',
    Condition: { StringEquals: { 'aws:PrincipalArn': ROLE_ARN } },
  }),
);
const endpoint = (policy: ReturnType<typeof doc> | null) => [{ id: 'vpce-0s3', policy }];

describe('evaluate: VPC endpoint policies', () => {
  runGolden([
    {
      name: 'an endpoint policy allowing the role lets the identity grant through',
      source: ENDPOINT_POLICIES,
      parts: { identity: [allow('s3:*')], vpcEndpoints: endpoint(onlyWebRole) },
      action: 's3:GetObject',
      resource: OBJECT,
      context: THROUGH,
      expected: 'Allowed',
      decidedBy: ['identity:app', 'vpce:vpce-0s3'],
    },
    {
      name: 'an endpoint policy grants nothing by itself: no identity allow, denied',
      source: ENDPOINT_POLICIES,
      parts: { identity: [], vpcEndpoints: endpoint(onlyWebRole) },
      action: 's3:GetObject',
      resource: OBJECT,
      context: THROUGH,
      expected: 'ImplicitDeny',
    },
    {
      name: 'an action the endpoint policy does not allow is denied whatever the identity grants',
      source: ENDPOINT_POLICIES,
      parts: { identity: [allow('s3:*')], vpcEndpoints: endpoint(onlyWebRole) },
      action: 's3:ListBucket',
      resource: BUCKET,
      context: THROUGH,
      expected: 'ImplicitDeny',
      decidedBy: ['vpce:vpce-0s3'],
    },
    {
      name: 'a deny in the endpoint policy is an explicit deny',
      source: ENDPOINT_POLICIES,
      parts: {
        identity: [allow('s3:*')],
        vpcEndpoints: endpoint(
          doc(allow('*', '*', { Principal: '*' }), deny('s3:GetObject', '*', { Principal: '*' })),
        ),
      },
      action: 's3:GetObject',
      resource: OBJECT,
      context: THROUGH,
      expected: 'ExplicitDeny',
      decidedBy: ['vpce:vpce-0s3'],
    },
    {
      name: 'the default endpoint policy (none attached) leaves the decision to the other policies',
      source: ENDPOINT_POLICIES,
      parts: { identity: [allow('s3:*')], vpcEndpoints: endpoint(null) },
      action: 's3:ListBucket',
      resource: BUCKET,
      context: THROUGH,
      expected: 'Allowed',
    },
    {
      name: 'a request that does not go through the endpoint is not subject to its policy',
      source: ENDPOINT_POLICIES,
      parts: { identity: [allow('s3:*')], vpcEndpoints: endpoint(onlyWebRole) },
      action: 's3:ListBucket',
      resource: BUCKET,
      context: { 'aws:SourceIp': '203.0.113.7' },
      expected: 'Allowed',
    },
  ] satisfies GoldenCase[]);

  it('an endpoint condition on an unknown key makes the decision Conditional, not a guess', () => {
    const policy = doc(
      allow('s3:*', '*', { Principal: '*', Condition: { StringEquals: { 's3:prefix': 'public/' } } }),
    );
    const [r] = evaluateWithUnknownKeys(
      snapshot({ identity: [allow('s3:*')], vpcEndpoints: endpoint(policy) }, [
        { action: 's3:ListBucket', resource: BUCKET, context: THROUGH },
      ]),
      (key) => key === 's3:prefix',
    );
    expect(r?.decision).toBe('Conditional');
  });
});
