import type { IAMClient } from '@aws-sdk/client-iam';
import { awsErrorName } from '../errors';
import type { QuarantineDeny } from './quarantined-policy';
import { proveRevocation } from './revocation-proof';
import { readRolePolicies } from './role-policies';

/** What verification records about the instance's credentials: the proof, or why it could not be made. */
export type CredentialCheck =
  | {
      readonly status: 'proven';
      readonly summary: string;
      readonly allowedBefore: number;
      readonly remaining: ReadonlyArray<{ readonly action: string; readonly resource: string }>;
      /** Allowed to another instance of the same role with the deny in place: the deny spares twins. */
      readonly twinAllowed: number;
    }
  | { readonly status: 'unknown'; readonly reason: string };

/** A sibling of the instance in its own account and region: the deny must leave it untouched. */
const twinOf = (instanceArn: string) =>
  instanceArn.replace(/instance\/i-[0-9a-f]+$/, 'instance/i-0000000000000000f');

/**
 * Proof of revocation at verification: the role's policies as IAM now enforces them are read back, and
 * every action they allow is evaluated (AWS's policy evaluation logic, policies/evaluation) for a session
 * of this instance with and without Sequester's deny. Anything still allowed is an alarm. A role whose
 * policies cannot be read leaves the proof unknown (recorded as such), never a failed quarantine.
 */
export async function checkCredentials(iam: IAMClient, d: QuarantineDeny): Promise<CredentialCheck> {
  const denyName = `managed:${d.policyArn}`;
  try {
    const all = await readRolePolicies(iam, d.roleName);
    const deny = all.identityPolicies.filter((p) => p.name === denyName);
    const role = { ...all, identityPolicies: all.identityPolicies.filter((p) => p.name !== denyName) };
    const proof = proveRevocation(role, deny, d.instanceArn, twinOf(d.instanceArn));
    return {
      status: 'proven',
      summary: proof.summary,
      allowedBefore: proof.allowedBefore,
      remaining: proof.remaining.map(({ action, resource }) => ({ action, resource })),
      twinAllowed: proof.twinAllowed ?? 0,
    };
  } catch (err) {
    return { status: 'unknown', reason: `${awsErrorName(err) ?? 'Error'}: ${(err as Error).message}` };
  }
}

/** Mismatches the proof adds to verification: any action the instance's session can still perform. */
export function credentialMismatches(check: CredentialCheck): string[] {
  if (check.status !== 'proven' || check.remaining.length === 0) return [];
  const shown = check.remaining
    .slice(0, 5)
    .map((g) => `${g.action} on ${g.resource}`)
    .join(', ');
  return [`${check.summary}: ${shown}${check.remaining.length > 5 ? ', ...' : ''}`];
}
