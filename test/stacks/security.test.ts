import type { PolicyDocument } from '../../policies/policy-document';
import { loadProgram, ofType, parseJson, type Recorded } from './pulumi-mocks';

const asList = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const allowed = (policy: unknown) =>
  (parseJson(policy) as PolicyDocument).Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    asList(s.Action).map((action) => ({ action, resources: asList(s.Resource) })),
  );

/** Actions that would destroy evidence or weaken its lock, whoever holds them. */
const EVIDENCE_DESTROYING =
  /^s3:(DeleteObject|DeleteObjectVersion|DeleteBucket|BypassGovernanceRetention|PutBucketObjectLockConfiguration|PutLifecycleConfiguration|PutBucketPolicy|DeleteBucketPolicy|PutBucketVersioning|\*)$|^s3:Delete|^kms:(ScheduleKeyDeletion|DisableKey|PutKeyPolicy)$|^\*$/;

/**
 * Security properties of the deployed definition as a whole (Pulumi mocks, no cloud): the roles the
 * stack creates cannot destroy evidence or shorten its retention, and none is granted `*` on `*`.
 */
describe('Security of the deployed definition', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram();
  });

  it('gives no role the power to delete evidence, change its lock or lifecycle, or disable the vault key', () => {
    const policies = ofType(rs, 'aws:iam/rolePolicy:RolePolicy');
    expect(policies.length).toBeGreaterThan(5);
    const offending = policies.flatMap((p) =>
      allowed(p.inputs.policy)
        .filter((a) => EVIDENCE_DESTROYING.test(a.action))
        .map((a) => `${p.name}: ${a.action}`),
    );
    expect(offending).toEqual([]);
  });

  it('grants no Allow statement with a wildcard action on every resource', () => {
    const wide = ofType(rs, 'aws:iam/rolePolicy:RolePolicy').flatMap((p) =>
      allowed(p.inputs.policy)
        .filter((a) => (a.action === '*' || a.action.endsWith(':*')) && a.resources.includes('*'))
        .map((a) => `${p.name}: ${a.action}`),
    );
    expect(wide).toEqual([]);
  });

  it('writes evidence only in COMPLIANCE mode: the vault refuses puts that ask for another lock mode', () => {
    const policy = ofType(rs, 'aws:s3/bucketPolicy:BucketPolicy').find(
      (p) => p.name === 'sequester-vault-policy',
    );
    const denies = (parseJson(policy?.inputs.policy) as PolicyDocument).Statement.filter(
      (s) => s.Effect === 'Deny',
    );
    const text = JSON.stringify(denies);
    expect(text).toContain('aws:SecureTransport');
    expect(text).toMatch(/s3:object-lock-mode|s3:object-lock-remaining-retention-days|GOVERNANCE/);
  });
});
