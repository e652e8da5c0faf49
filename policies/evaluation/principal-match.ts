import type { PrincipalValue } from './policy-types';
import type { PrincipalFacts } from './request-context';

/**
 * How a resource policy's Principal names the caller. The kind matters for what else must allow:
 * - `session`: the caller itself (its assumed-role session ARN, its IAM user ARN, or `*`): a same-account
 *   grant that needs no identity policy and is not limited by a boundary or session policy;
 * - `role`: the role of an assumed-role session ("a role ARN matches the role's sessions"): a grant still
 *   limited by the permissions boundary and session policies;
 * - `account`: the account (`123456789012` or `arn:aws:iam::123456789012:root`): a delegation to the
 *   account's IAM, so an identity policy must allow too.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export type PrincipalKind = 'session' | 'role' | 'account';

const list = (v: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;

const RANK: Readonly<Record<PrincipalKind, number>> = { session: 3, role: 2, account: 1 };

function better(a: PrincipalKind | undefined, b: PrincipalKind | undefined): PrincipalKind | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The strongest way `principal` names the caller, or undefined. Wildcards other than a whole `*` do not
 * match part of a principal ARN, so everything else compares exactly. A `Service` principal matches only
 * a caller that is that service; `Federated` and `CanonicalUser` never match an IAM caller.
 */
export function principalKind(principal: PrincipalValue, caller: PrincipalFacts): PrincipalKind | undefined {
  if (principal === '*') return 'session';
  let kind: PrincipalKind | undefined;
  for (const entry of list(principal.AWS)) {
    kind = better(kind, awsEntryKind(entry, caller));
    if (kind === 'session') return kind;
  }
  for (const service of list(principal.Service)) {
    if (service === caller.arn) return 'session';
  }
  return kind;
}

function awsEntryKind(entry: string, caller: PrincipalFacts): PrincipalKind | undefined {
  if (entry === '*') return 'session';
  if (entry === caller.arn) return 'session';
  if (caller.roleArn !== undefined && entry === caller.roleArn) return 'role';
  if (entry === caller.accountId) return 'account';
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry);
  if (root !== null && root[1] === caller.accountId) return 'account';
  return undefined;
}

/**
 * NotPrincipal: the statement applies to every caller not listed. Only the caller's own ARN (its session
 * or user ARN) or `*` exempts it: "When you use NotPrincipal with Deny ... specify the ARN of the assumed
 * role session" – a role ARN or account alone leaves the session under the statement. And AWS notes that
 * a NotPrincipal Deny "will always deny any IAM principal that has a permissions boundary policy attached".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalApplies(
  notPrincipal: PrincipalValue,
  caller: PrincipalFacts,
  hasBoundary: boolean,
): boolean {
  if (hasBoundary) return true;
  if (notPrincipal === '*') return false;
  return !list(notPrincipal.AWS).some((e) => e === '*' || e === caller.arn);
}
