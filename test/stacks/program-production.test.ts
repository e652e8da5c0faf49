import type { PolicyDocument } from '../../policies/policy-document';
import { exampleProductionConfig } from './example-config';
import { loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

describe('Program: responder stack with the example production config', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram(exampleProductionConfig);
  });

  it('keeps the isolation function warm behind a live alias the workflow invokes', () => {
    const pc = ofType(rs, 'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig');
    expect(pc.map((p) => p.inputs.provisionedConcurrentExecutions)).toEqual([2]);
    const fn = ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === 'sequester-isolate');
    expect(fn?.inputs.publish).toBe(true);
    const sm = ofType(rs, 'aws:sfn/stateMachine:StateMachine')[0];
    const def = parseJson(sm?.inputs.definition) as { States: Record<string, { Resource?: string }> };
    expect(def.States.Isolate?.Resource).toMatch(/function:sequester-isolate:live$/);
  });

  it('locks evidence snapshots for the configured days', () => {
    const fn = ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === 'sequester-snapshot');
    const env = (fn?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables;
    expect(env?.SNAPSHOT_LOCK_DAYS).toBe('30');
  });

  it('locks evidence for the configured retention', () => {
    const lock = ofType(rs, 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration')[0];
    expect(lock?.inputs.rule).toEqual({ defaultRetention: { mode: 'COMPLIANCE', days: 2555 } });
  });

  it('lets the isolation Lambda assume the MemberAccess role in the member account', () => {
    const p = ofType(rs, 'aws:iam/rolePolicy:RolePolicy').find(
      (r) => r.name === 'sequester-responder-isolate-policy',
    );
    const doc = parseJson(p?.inputs.policy) as PolicyDocument;
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Resource: ['arn:aws:iam::210987654321:role/sequester-member-access'],
      }),
    );
  });

  it('trusts the configured reviewer and on-call roles through aws:PrincipalArn, never as principals', () => {
    for (const [name, arn] of [
      ['sequester-vault-reviewer', 'arn:aws:iam::123456789012:role/forensics-team'],
      ['sequester-triggers-oncall', 'arn:aws:iam::123456789012:role/oncall-sre'],
    ] as const) {
      const role = ofType(rs, 'aws:iam/role:Role').find((r) => r.name === name);
      expect((parseJson(role?.inputs.assumeRolePolicy) as PolicyDocument).Statement).toEqual([
        expect.objectContaining({
          Principal: { AWS: ['arn:aws:iam::123456789012:root'] },
          Condition: {
            ArnEquals: { 'aws:PrincipalArn': [arn] },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        }),
      ]);
    }
  });

  it('subscribes the on-call emails and passes the filters to intake', () => {
    expect(ofType(rs, 'aws:sns/topicSubscription:TopicSubscription').map((s) => s.inputs.endpoint)).toEqual([
      'oncall@example.com',
    ]);
    const intake = ofType(rs, 'aws:lambda/function:Function').find(
      (f) => f.inputs.name === 'sequester-intake',
    );
    const env =
      (intake?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables ?? {};
    expect(JSON.parse(env.INTAKE_CONFIG ?? '{}')).toMatchObject({
      severityFloor: 7,
      denyTypePrefixes: ['Recon:EC2/Portscan'],
      accounts: ['123456789012', '210987654321'],
      regions: ['eu-west-1', 'us-east-1'],
    });
  });

  it('uses the configured exemption tag in the environment the isolation runtime reads', () => {
    const fn = ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === 'sequester-isolate');
    expect(
      (fn?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables
        .EXEMPTION_TAG_KEY,
    ).toBe('sequester:exempt');
  });
});
