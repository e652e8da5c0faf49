import { ofType, type Recorded } from './pulumi-mocks';

/**
 * IAM refuses a role whose inline policies together exceed 10,240 characters, white space not counted
 * (PutRolePolicy: LimitExceeded), so a policy that grows past it fails the first real deployment.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const ROLE_POLICY_CHARACTERS = 10_240;

/** Characters IAM counts per role: every inline policy of the role, white space removed. */
export function sizesByRole(rs: ReadonlyArray<Recorded>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const p of ofType(rs, 'aws:iam/rolePolicy:RolePolicy')) {
    const role = String(p.inputs.role);
    const doc = typeof p.inputs.policy === 'string' ? p.inputs.policy : JSON.stringify(p.inputs.policy);
    sizes.set(role, (sizes.get(role) ?? 0) + doc.replace(/\s/g, '').length);
  }
  return sizes;
}
