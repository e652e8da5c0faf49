import { evaluate } from '../../../policies/evaluation/evaluate';
import type { DocumentLike, StatementLike } from '../../../policies/evaluation/policy-types';
import { statementsOf } from '../../../policies/evaluation/policy-types';

/** A role's own policies as IAM stores them: inline documents and the default versions of attached ones. */
export interface RolePolicies {
  readonly roleArn: string;
  readonly accountId: string;
  readonly identityPolicies: ReadonlyArray<{ readonly name: string; readonly document: DocumentLike }>;
  readonly permissionsBoundary: DocumentLike | null;
}

/** One (action, resource) pair a statement of the role allows. */
export interface Grant {
  readonly action: string;
  readonly resource: string;
  readonly policy: string;
}

export interface RevocationProof {
  /** Pairs the role's Allow statements grant (actions and resources as written, wildcards made concrete). */
  readonly granted: number;
  /** Of those, allowed to this instance's session before the deny, and still allowed with it. */
  readonly allowedBefore: number;
  readonly remaining: ReadonlyArray<Grant>;
  /** Allowed to a twin instance of the same role with the deny in place (the deny must spare it). */
  readonly twinAllowed?: number;
  readonly summary: string;
}

/**
 * A wildcard action pattern made into one concrete name that the pattern matches (`s3:Get*` ->
 * `s3:GetSequesterAny`): the proof asks whether a request the statement allows is still allowed, and
 * the deny must cover any action, not only the ones AWS has published today.
 */
const concreteAction = (pattern: string) => {
  const [service = '*', name = '*'] = pattern.split(':');
  const s = service === '*' ? 'sequester' : service.replace(/[*?]/g, 'x');
  return `${s}:${name.replace(/\*/g, 'SequesterAny').replace(/\?/g, 'X')}`;
};
const list = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

/** Every (action, resource) pair the Allow statements name. NotAction/NotResource count as `*`. */
export function grantsOf(role: RolePolicies): Grant[] {
  const out = new Map<string, Grant>();
  for (const p of role.identityPolicies) {
    for (const s of statementsOf(p.document) as ReadonlyArray<StatementLike>) {
      if (s.Effect !== 'Allow') continue;
      const actions = s.Action === undefined ? ['*'] : list(s.Action);
      const resources = s.Resource === undefined ? ['*'] : list(s.Resource);
      for (const a of actions)
        for (const r of resources) {
          const g = { action: concreteAction(a), resource: r, policy: p.name };
          out.set(`${g.action} ${g.resource}`, g);
        }
    }
  }
  return [...out.values()];
}

const sessionArn = (roleArn: string, instanceId: string) =>
  roleArn.replace(':iam::', ':sts::').replace(/:role\/(?:.*\/)?([^/]+)$/, ':assumed-role/$1/') + instanceId;
const instanceIdOf = (instanceArn: string) => instanceArn.slice(instanceArn.lastIndexOf('/') + 1);

function allowedTo(
  role: RolePolicies,
  deny: ReadonlyArray<{ readonly name: string; readonly document: DocumentLike }>,
  instanceArn: string,
  grants: ReadonlyArray<Grant>,
): Grant[] {
  // Requests signed with credentials EC2 delivered to an instance carry ec2:SourceInstanceARN.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2sourceinstancearn
  const results = evaluate({
    principal: {
      arn: sessionArn(role.roleArn, instanceIdOf(instanceArn)),
      accountId: role.accountId,
      roleArn: role.roleArn,
    },
    identityPolicies: [...role.identityPolicies, ...deny],
    permissionsBoundary: role.permissionsBoundary,
    requests: grants.map((g) => ({
      action: g.action,
      resource: g.resource,
      context: { 'ec2:SourceInstanceARN': instanceArn },
    })),
  });
  return grants.filter((_, i) => results[i]?.decision === 'Allowed');
}

/**
 * Proof that the credentials already on a quarantined instance are worth nothing: every action any
 * Allow statement of its role grants is evaluated, with AWS's policy evaluation logic, for a session of
 * that instance before and after Sequester's deny, and for a twin instance of the same role after it.
 * Conditions that need context the proof cannot know (source IP, tags) leave a pair out of
 * `allowedBefore`; the deny itself has no such condition, so it must leave nothing for this instance.
 */
export function proveRevocation(
  role: RolePolicies,
  deny: ReadonlyArray<{ readonly name: string; readonly document: DocumentLike }>,
  instanceArn: string,
  twinInstanceArn?: string,
): RevocationProof {
  const grants = grantsOf(role);
  const before = allowedTo(role, [], instanceArn, grants);
  const remaining = allowedTo(role, deny, instanceArn, grants);
  const twin =
    twinInstanceArn === undefined ? undefined : allowedTo(role, deny, twinInstanceArn, grants).length;
  return {
    granted: grants.length,
    allowedBefore: before.length,
    remaining,
    ...(twin === undefined ? {} : { twinAllowed: twin }),
    summary: `credentials: ${remaining.length} of ${before.length} allowed actions remain`,
  };
}
