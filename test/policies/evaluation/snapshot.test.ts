import { InvalidInputError } from '../../../lambdas/core/errors';
import { evaluate, parseSnapshot, validateSnapshot } from '../../../policies/evaluation';
import { quarantinedInstancesPolicy } from '../../../policies/quarantined-instances';
import sample from '../../fixtures/iam/authorization-snapshot.json';
import { ACCOUNT, allow, doc, ROLE_ARN, SESSION_ARN } from './golden-support';

/** The error parseSnapshot throws for `input` (fails the test when it does not throw). */
function parseError(input: unknown): InvalidInputError {
  try {
    parseSnapshot(input);
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('parseSnapshot accepted the input');
}

describe('parseSnapshot', () => {
  it('accepts the sample snapshot of issue 11 and evaluates it: its RCP level allows nothing (RCPs are checked before SCPs)', () => {
    const snapshot = parseSnapshot(structuredClone(sample));
    expect(evaluate(snapshot)).toEqual([
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::data-bucket/a.txt',
        decision: 'ImplicitDeny',
        decidedBy: [{ policy: 'rcp:111122223333:level0', statement: -1 }],
      },
    ]);
  });

  it('fills the optional parts with "none attached"', () => {
    const snapshot = parseSnapshot({
      version: 1,
      principal: { arn: SESSION_ARN, accountId: ACCOUNT },
      requests: [],
    });
    expect(snapshot).toMatchObject({
      identityPolicies: [],
      permissionsBoundary: null,
      sessionPolicies: [],
      scps: [],
      rcps: {},
      resources: [],
    });
  });

  it('accepts what IAM accepts: one Statement object, string or list elements, boolean and number condition values', () => {
    const snapshot = parseSnapshot({
      ...structuredClone(sample),
      identityPolicies: [
        {
          name: 'app',
          document: {
            Version: '2012-10-17',
            Statement: {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: ['*'],
              Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 } },
            },
          },
        },
      ],
    });
    expect(snapshot.identityPolicies[0]?.document.Statement).toMatchObject({ Effect: 'Allow' });
  });

  it.each([
    ['another version', { version: 2 }, 'version'],
    [
      'a bad principal account',
      { principal: { ...sample.principal, accountId: '1234' } },
      'principal.accountId',
    ],
    [
      'an action without a service prefix',
      { requests: [{ action: 'GetObject', resource: '*' }] },
      'requests.0.action',
    ],
    [
      'a misspelt statement element',
      { sessionPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Actions: '*' }] }] },
      'sessionPolicies.0.Statement',
    ],
    [
      'an Effect other than Allow or Deny',
      { identityPolicies: [{ name: 'a', document: { Statement: [{ Effect: 'allow', Action: '*' }] } }] },
      'identityPolicies.0.document.Statement',
    ],
    [
      'an SCP chain that is not one list per level',
      { scps: [{ Version: '2012-10-17', Statement: [] }] },
      'scps.0',
    ],
  ])('rejects %s, naming the field', (_name, change, field) => {
    const err = parseError({ ...structuredClone(sample), ...change });
    expect(err.field.startsWith(field)).toBe(true);
  });
});

describe('evaluate: the project’s own policy documents', () => {
  const INSTANCE = 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0aaa1111aaaa1111a';
  const snapshot = (sourceInstance: string) => ({
    principal: { arn: SESSION_ARN, accountId: ACCOUNT, roleArn: ROLE_ARN },
    identityPolicies: [
      { name: 'app', document: doc(allow('s3:GetObject')) },
      { name: 'sequester-deny', document: quarantinedInstancesPolicy([INSTANCE]) },
    ],
    requests: [
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 'ec2:SourceInstanceARN': sourceInstance },
      },
    ],
  });

  it('takes a PolicyDocument from policies/ as it is: the credential deny denies the quarantined instance', () => {
    expect(evaluate(snapshot(INSTANCE))[0]).toMatchObject({
      decision: 'ExplicitDeny',
      decidedBy: [{ policy: 'identity:sequester-deny', statement: 0, sid: 'SequesterQuarantinedInstances' }],
    });
  });

  it('leaves a twin instance of the same role its access', () => {
    expect(evaluate(snapshot(INSTANCE.replace('0aaa', '0bbb')))[0]?.decision).toBe('Allowed');
  });
});

describe('validateSnapshot', () => {
  const withPolicy = (Statement: unknown[], requests: unknown[] = sample.requests) =>
    parseSnapshot({
      ...structuredClone(sample),
      identityPolicies: [{ name: 'app', document: { Version: '2012-10-17', Statement } }],
      requests,
    });

  it('finds nothing wrong with known actions, wildcards, global and service condition keys', async () => {
    const snapshot = withPolicy([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:Get*', 'kms:*', '*'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalTag/team': 'red', 's3:prefix': 'a', 'ec2:SourceInstanceARN': 'x' },
          'ForAnyValue:StringLike': { 'aws:TagKeys': 'a*' },
        },
      },
    ]);
    expect(await validateSnapshot(snapshot)).toEqual([]);
  });

  it('reports an unknown action, a wildcard matching no action and an unknown service', async () => {
    const snapshot = withPolicy([
      { Effect: 'Allow', Action: ['s3:GetObjekt', 's3:Fetch*', 'nosuchservice:Get'], Resource: '*' },
    ]);
    expect(await validateSnapshot(snapshot)).toEqual([
      { path: 'identityPolicies.0.document.Statement.0.Action.0', message: 'unknown action "s3:GetObjekt"' },
      {
        path: 'identityPolicies.0.document.Statement.0.Action.1',
        message: '"s3:Fetch*" matches no s3 action',
      },
      {
        path: 'identityPolicies.0.document.Statement.0.Action.2',
        message: 'unknown service prefix "nosuchservice" in "nosuchservice:Get"',
      },
    ]);
  });

  it('reports unknown condition keys and operators', async () => {
    const snapshot = withPolicy([
      {
        Effect: 'Deny',
        NotAction: 's3:*',
        Resource: '*',
        Condition: { StringEquals: { 's3:Prefixx': 'a', 'aws:SourceIpp': 'b' }, StringEqualz: {} },
      },
    ]);
    expect((await validateSnapshot(snapshot)).map((p) => p.path)).toEqual([
      'identityPolicies.0.document.Statement.0.Condition.StringEquals.s3:Prefixx',
      'identityPolicies.0.document.Statement.0.Condition.StringEquals.aws:SourceIpp',
      'identityPolicies.0.document.Statement.0.Condition.StringEqualz',
    ]);
  });

  it('reports a request for an unknown action, and a resource ARN its action cannot act on', async () => {
    const snapshot = withPolicy(
      [],
      [
        { action: 's3:GetObjekt', resource: 'arn:aws:s3:::b/k', context: {} },
        {
          action: 's3:GetObject',
          resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-1',
          context: { 'aws:SourceIp': '1.2.3.4' },
        },
        {
          action: 'kms:Decrypt',
          resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          context: {},
        },
      ],
    );
    const problems = await validateSnapshot(snapshot);
    expect(problems.map((p) => p.path)).toEqual(['requests.0.action', 'requests.1.resource']);
    expect(problems[1]?.message).toContain('s3:GetObject');
  });
});
