import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { noAdministratorAccess, noStarOnStar } from '../../policies/pack/iam-policies';
import {
  apiRoutesRequireIam,
  noRulesOnQuarantineGroups,
  quarantineGroupHasNoRules,
} from '../../policies/pack/network-api-policies';
import { SEQUESTER_POLICIES } from '../../policies/pack/policies';
import { evidenceVaultInvariants } from '../../policies/pack/vault-policies';
import { loadProgram, type Recorded } from '../stacks/pulumi-mocks';

type Props = Record<string, unknown>;
const CONFIG = { minRetentionDays: 30 };

const resource = (type: string, name: string, props: Props): PolicyResource => ({
  type,
  name,
  urn: `urn:pulumi:test::sequester::${type}::${name}`,
  props,
  opts: {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  },
  dependencies: [],
  propertyDependencies: {},
  isType: () => false,
  asType: () => undefined,
});

/** Runs one resource policy on one resource, returning the violations it reported. */
function validateResource(policy: ResourceValidationPolicy, type: string, props: Props): string[] {
  const found: string[] = [];
  const report: ReportViolation = (m) => found.push(m);
  const fns = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  const args = {
    ...resource(type, 'r', props),
    getConfig: <T extends object>() => CONFIG as unknown as T,
    notApplicable: () => undefined,
  };
  for (const fn of fns) void fn?.(args as never, report);
  return found;
}

function validateStack(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
  const found: string[] = [];
  const args = {
    resources,
    getConfig: <T extends object>() => CONFIG as unknown as T,
  } as unknown as StackValidationArgs;
  void policy.validateStack?.(args, (m) => found.push(m));
  return found;
}

const goodVault = (): PolicyResource[] => [
  resource('aws:s3/bucket:Bucket', 'vault', { objectLockEnabled: true, bucket: 'v', id: 'v' }),
  resource('aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration', 'lock', {
    bucket: 'v',
    rule: { defaultRetention: { mode: 'COMPLIANCE', days: 365 } },
  }),
  resource('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'sse', {
    bucket: 'v',
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
  }),
  resource('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'bpa', {
    bucket: 'v',
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }),
];
const patch = (rs: PolicyResource[], name: string, props: Props) =>
  rs.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props } } : r));

describe('Policy pack: sequester', () => {
  describe('Policy: evidence-vault-invariants', () => {
    it('accepts a COMPLIANCE-locked, KMS-encrypted, private vault', () => {
      expect(validateStack(evidenceVaultInvariants, goodVault())).toEqual([]);
    });
    it('reports a GOVERNANCE lock', () => {
      const rs = patch(goodVault(), 'lock', {
        rule: { defaultRetention: { mode: 'GOVERNANCE', days: 365 } },
      });
      expect(validateStack(evidenceVaultInvariants, rs)).toEqual([
        'vault: default retention is not COMPLIANCE',
      ]);
    });
    it('reports a retention shorter than the configured minimum', () => {
      const rs = patch(goodVault(), 'lock', { rule: { defaultRetention: { mode: 'COMPLIANCE', days: 7 } } });
      expect(validateStack(evidenceVaultInvariants, rs)).toEqual([
        'vault: default retention 7 days is below 30',
      ]);
    });
    it('reports SSE-S3 instead of SSE-KMS', () => {
      const rs = patch(goodVault(), 'sse', {
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      });
      expect(validateStack(evidenceVaultInvariants, rs)).toEqual([
        'vault: not encrypted with SSE-KMS by default',
      ]);
    });
    it('reports a public access block with a setting off', () => {
      const rs = patch(goodVault(), 'bpa', { restrictPublicBuckets: false });
      expect(validateStack(evidenceVaultInvariants, rs)).toEqual([
        'vault: public access is not fully blocked',
      ]);
    });
  });

  describe('Policy: quarantine-security-group-has-no-rules', () => {
    const sg = 'aws:ec2/securityGroup:SecurityGroup';
    it('reports ingress on a quarantine group', () => {
      const props = {
        tags: { 'sequester:role': 'quarantine' },
        ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22 }],
      };
      expect(validateResource(quarantineGroupHasNoRules, sg, props)).toHaveLength(1);
    });
    it('accepts a quarantine group without rules and ignores other groups', () => {
      expect(
        validateResource(quarantineGroupHasNoRules, sg, {
          tags: { 'sequester:role': 'quarantine' },
          ingress: [],
          egress: [],
        }),
      ).toEqual([]);
      expect(validateResource(quarantineGroupHasNoRules, sg, { ingress: [{ protocol: '-1' }] })).toEqual([]);
    });
    it('reports a separate rule resource on a quarantine group', () => {
      const rs = [
        resource(sg, 'q', { id: 'sg-1', tags: { 'sequester:role': 'quarantine' } }),
        resource('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', 'ssh', {
          securityGroupId: 'sg-1',
        }),
      ];
      expect(validateStack(noRulesOnQuarantineGroups, rs)).toEqual([
        'ssh adds a rule to quarantine group sg-1',
      ]);
    });
  });

  describe('Policy: api-routes-require-iam-auth', () => {
    it('reports a route without authorization', () => {
      expect(
        validateResource(apiRoutesRequireIam, 'aws:apigatewayv2/route:Route', {
          routeKey: 'GET /x',
          authorizationType: 'NONE',
        }),
      ).toEqual(['route GET /x uses NONE authorization']);
    });
  });

  describe('Policy: iam-no-star-action-on-star-resource', () => {
    const doc = (Effect: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect, Action: '*', Resource: '*' }] });
    it('reports "*" on "*" in an inline role policy', () => {
      expect(
        validateResource(noStarOnStar, 'aws:iam/rolePolicy:RolePolicy', { policy: doc('Allow') }),
      ).toHaveLength(1);
    });
    it('accepts a "*" on "*" deny (the instance credential deny)', () => {
      expect(
        validateResource(noStarOnStar, 'aws:iam/rolePolicy:RolePolicy', { policy: doc('Deny') }),
      ).toEqual([]);
    });
    it('reports AdministratorAccess attachments', () => {
      const props = { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
      expect(
        validateResource(noAdministratorAccess, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', props),
      ).toHaveLength(1);
    });
  });

  describe('The real stack', () => {
    let real: PolicyResource[];
    beforeAll(async () => {
      const recorded: Recorded[] = await loadProgram();
      real = recorded.map((r) => resource(r.type, r.name, r.outputs));
    });

    it('violates no policy of the pack', () => {
      const found: string[] = [];
      for (const policy of SEQUESTER_POLICIES) {
        if ('validateStack' in policy) found.push(...validateStack(policy, real));
        else
          for (const r of real)
            found.push(...validateResource(policy as ResourceValidationPolicy, r.type, r.props));
      }
      expect(found).toEqual([]);
    });

    it('contains the vault the stack policy checks', () => {
      expect(
        real.filter((r) => r.type === 'aws:s3/bucket:Bucket' && r.props.objectLockEnabled === true),
      ).toHaveLength(1);
    });
  });
});
