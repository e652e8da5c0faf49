import type { SnapshotLike } from '../../policies/evaluation';
import { evaluate } from '../../policies/evaluation';
import type { PolicyDocument } from '../../policies/policy-document';
import type { EmulatorFacts } from './facts';
import type { Check } from './operations';
import type { Principal, Principals } from './principals';

export interface Verdict {
  readonly allowed: boolean;
  /** The first check that was refused, and whether an explicit Deny refused it. */
  readonly refused?: { readonly check: Check; readonly explicit: boolean };
}

type Resource = { arn: string; accountId: string; policy: PolicyDocument | null };

/**
 * Decides a request's checks with the IAM evaluator (policies/evaluation): the caller's role policies,
 * and the resource policies AWS reads for them: the bucket policy for S3 (the one the harness defined
 * from policies/, else moto's), the key policy for KMS (a
 * missing key policy denies), the target role's trust policy for sts:AssumeRole. Global condition keys
 * a real request carries are added: TLS (the local hop is plain HTTP but models the SDK's HTTPS to AWS),
 * the time and the requested region.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export async function decide(
  who: Principal,
  checks: ReadonlyArray<Check>,
  region: string,
  accessKeyId: string,
  facts: EmulatorFacts,
  principals: Principals,
): Promise<Verdict> {
  if (checks.length === 0) return { allowed: true };
  const resources = new Map<string, Resource>();
  for (const c of checks) {
    if (c.resource.startsWith('arn:') && c.resource.split(':')[2] === 's3') {
      const bucket = (c.resource.split(':')[5] ?? '').split('/')[0] ?? '';
      const arn = c.resource.replace(/:::.*$/, `:::${bucket}`);
      if (!resources.has(arn))
        resources.set(arn, {
          arn,
          accountId: who.accountId,
          policy: await facts.bucketPolicy(accessKeyId, region, bucket),
        });
    } else if (c.action.startsWith('kms:') && !resources.has(c.resource)) {
      resources.set(c.resource, {
        arn: c.resource,
        accountId: c.resource.split(':')[4] ?? who.accountId,
        policy: await facts.keyPolicy(accessKeyId, c.resource),
      });
    } else if (c.action === 'sts:AssumeRole') {
      // A role the harness did not define does not exist here: AWS refuses to assume it.
      const role = principals.role(c.resource);
      if (role === undefined) return { allowed: false, refused: { check: c, explicit: false } };
      resources.set(c.resource, { arn: c.resource, accountId: role.accountId, policy: role.trust });
    }
  }
  const now = new Date();
  const global = {
    'aws:SecureTransport': true,
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': Math.floor(now.getTime() / 1000),
    'aws:RequestedRegion': region,
    'aws:PrincipalType': 'AssumedRole',
  };
  const snapshot: SnapshotLike = {
    principal: { arn: who.arn, accountId: who.accountId, roleArn: who.roleArn },
    identityPolicies: who.policies,
    resources: [...resources.values()],
    requests: checks.map((c) => ({
      action: c.action,
      resource: c.resource,
      context: { ...global, ...c.context },
    })),
  };
  const results = evaluate(snapshot);
  const i = results.findIndex((r) => r.decision !== 'Allowed');
  const check = checks[i];
  if (i < 0 || check === undefined) return { allowed: true };
  return { allowed: false, refused: { check, explicit: results[i]?.decision === 'ExplicitDeny' } };
}
