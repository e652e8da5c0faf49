import {
  grantsOf,
  proveRevocation,
  type RolePolicies,
} from '../../../lambdas/core/isolation/revocation-proof';
import type { PolicyDocument } from '../../../policies/policy-document';
import { quarantinedInstancesPolicy } from '../../../policies/quarantined-instances';

const account = '111122223333';
const instanceArn = `arn:aws:ec2:eu-west-1:${account}:instance/i-0aaa1111aaaa1111a`;
const twinArn = `arn:aws:ec2:eu-west-1:${account}:instance/i-0bbb2222bbbb2222b`;

const app: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Data',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:List*'],
      Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
    },
    {
      Sid: 'Secret',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:aws:secretsmanager:eu-west-1:${account}:secret:db-*`,
    },
    { Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*' },
  ],
};
const role: RolePolicies = {
  roleArn: `arn:aws:iam::${account}:role/app/web-role`,
  accountId: account,
  identityPolicies: [{ name: 'app', document: app }],
  permissionsBoundary: null,
};
const deny = [{ name: 'sequester-deny', document: quarantinedInstancesPolicy([instanceArn]) }];

describe('Proof of revocation: the quarantined session keeps nothing, a twin of its role keeps everything', () => {
  it('counts every (action, resource) pair of the role and finds all of them denied after the deny', () => {
    const proof = proveRevocation(role, deny, instanceArn, twinArn);
    expect(proof.granted).toBe(6);
    expect(proof.allowedBefore).toBe(6);
    expect(proof.remaining).toEqual([]);
    expect(proof.twinAllowed).toBe(6);
    expect(proof.summary).toBe('credentials: 0 of 6 allowed actions remain');
  });

  it('reports what remains when the deny names another instance (a deny that does not act is visible)', () => {
    const wrong = [{ name: 'sequester-deny', document: quarantinedInstancesPolicy([twinArn]) }];
    const proof = proveRevocation(role, wrong, instanceArn, twinArn);
    expect(proof.remaining).toHaveLength(6);
    expect(proof.twinAllowed).toBe(0);
    expect(proof.summary).toBe('credentials: 6 of 6 allowed actions remain');
  });

  it('reports what remains when the deny covers only some services', () => {
    const partial: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: ['s3:*'],
          Resource: '*',
          Condition: { StringEquals: { 'ec2:SourceInstanceARN': instanceArn } },
        },
      ],
    };
    const proof = proveRevocation(role, [{ name: 'partial', document: partial }], instanceArn);
    expect(proof.remaining.map((g) => g.action).sort()).toEqual([
      'logs:SequesterAny',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('leaves out of allowedBefore a grant whose own condition the instance session does not meet', () => {
    const conditioned: RolePolicies = {
      ...role,
      identityPolicies: [
        {
          name: 'vpn-only',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:PutObject',
                Resource: '*',
                Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
              },
              { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
            ],
          },
        },
      ],
    };
    const proof = proveRevocation(conditioned, deny, instanceArn);
    expect(proof.granted).toBe(2);
    expect(proof.allowedBefore).toBe(1);
    expect(proof.remaining).toEqual([]);
  });

  it('makes wildcard actions concrete names their pattern matches', () => {
    const names = grantsOf(role).map((g) => g.action);
    expect(names).toEqual(expect.arrayContaining(['s3:ListSequesterAny', 'logs:SequesterAny']));
  });
});
