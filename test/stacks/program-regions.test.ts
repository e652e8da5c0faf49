import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Runtime, readEnv } from '../../lambdas/handlers/runtime';
import type { PolicyDocument } from '../../policies/policy-document';
import { ACCOUNT, loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

const HOME_BUS = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`;
const intakeRegions = (rs: Recorded[]) => {
  const fn = ofType(rs, 'aws:lambda/function:Function').find((f) => f.inputs.name === 'sequester-intake');
  const env = (fn?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables;
  return (JSON.parse(env?.INTAKE_CONFIG ?? '{}') as { regions?: string[] }).regions;
};
const homeRule = (rs: Recorded[]) =>
  ofType(rs, 'aws:cloudwatch/eventRule:EventRule').find((r) => r.name === 'sequester-triggers-guardduty');

/**
 * GuardDuty sends a finding to EventBridge in the Region where it was generated, and a rule matches
 * only its own Region's bus: every covered Region needs its own rule, forwarding to the home bus.
 */
describe('Program: GuardDuty findings of other regions (memberRegions)', () => {
  // One program load per test file (stacks/index.ts runs once per module registry); the default
  // config's single region is checked in program.test.ts.
  describe('with three regions, one of them the home region', () => {
    let rs: Recorded[];
    beforeAll(async () => {
      rs = await loadProgram({ memberRegions: JSON.stringify(['us-east-1', 'eu-west-1', 'ap-southeast-2']) });
    });
    const providerOf = (r: Recorded | undefined) =>
      ofType(rs, 'pulumi:providers:aws').find((p) => r?.provider?.endsWith(`::${p.name}-id`) === true);
    const forwardRules = () =>
      ofType(rs, 'aws:cloudwatch/eventRule:EventRule').filter(
        (r) => r.name !== 'sequester-triggers-guardduty',
      );

    it('declares one AWS provider per region other than the home region', () => {
      expect(
        ofType(rs, 'pulumi:providers:aws')
          .map((p) => p.inputs.region)
          .sort(),
      ).toEqual(['ap-southeast-2', 'us-east-1']);
    });

    it('puts a rule with the home rule pattern in each of those regions, through its provider', () => {
      const rules = forwardRules();
      expect(rules.map((r) => providerOf(r)?.inputs.region).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
      for (const r of rules)
        expect(parseJson(r.inputs.eventPattern)).toEqual(parseJson(homeRule(rs)?.inputs.eventPattern));
    });

    it('targets the home region default bus from each rule, with the forwarding role, in the rule region', () => {
      const targets = ofType(rs, 'aws:cloudwatch/eventTarget:EventTarget').filter(
        (t) => t.name !== 'sequester-triggers-guardduty-intake',
      );
      expect(targets).toHaveLength(2);
      const role = ofType(rs, 'aws:iam/role:Role').find(
        (r) => r.inputs.name === 'sequester-finding-forwarder',
      );
      for (const t of targets) {
        const rule = forwardRules().find((r) => r.outputs.name === t.inputs.rule);
        expect(t.inputs).toMatchObject({ arn: HOME_BUS, roleArn: role?.outputs.arn });
        expect(providerOf(t)?.inputs.region).toBe(providerOf(rule)?.inputs.region);
      }
    });

    it('lets the forwarding role put events on the home bus and nothing else, assumed by EventBridge only', () => {
      const role = ofType(rs, 'aws:iam/role:Role').find(
        (r) => r.inputs.name === 'sequester-finding-forwarder',
      );
      expect((parseJson(role?.inputs.assumeRolePolicy) as PolicyDocument).Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }),
      ]);
      const policy = ofType(rs, 'aws:iam/rolePolicy:RolePolicy').find(
        (p) => p.name === 'sequester-forwarders-role-policy',
      );
      expect((parseJson(policy?.inputs.policy) as PolicyDocument).Statement).toEqual([
        { Sid: 'ForwardToHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: HOME_BUS },
      ]);
    });

    it('lets intake and the API act in the home region and the listed ones', () => {
      expect(intakeRegions(rs)).toEqual(['eu-west-1', 'us-east-1', 'ap-southeast-2']);
    });

    it('gives the isolate task the same regions to look for an instance a credential finding names', () => {
      const fn = ofType(rs, 'aws:lambda/function:Function').find(
        (f) => f.inputs.name === 'sequester-isolate',
      );
      const env = (fn?.inputs.environment as { variables: Record<string, string> } | undefined)?.variables;
      expect(new Runtime(readEnv({ ...env, AWS_REGION: 'eu-west-1' })).coveredRegions).toEqual([
        'eu-west-1',
        'us-east-1',
        'ap-southeast-2',
      ]);
    });
  });

  it('documents memberRegions as the regions covered besides the home region, not "empty means all"', () => {
    const project = parse(readFileSync(path.resolve(__dirname, '../../Pulumi.yaml'), 'utf8')) as {
      config: Record<string, { description: string }>;
    };
    const d = project.config['sequester:memberRegions']?.description ?? '';
    expect(d).not.toMatch(/empty means all/i);
    expect(d).toMatch(/home region/i);
  });
});
