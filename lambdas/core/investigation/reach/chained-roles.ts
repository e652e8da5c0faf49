import type { DocumentLike, ReachDecision, SnapshotLike } from '../../../../policies/evaluation';
import { CONTEXTS, type ContextName, requestFacts } from './contexts';
import { decide, type ReachOptions } from './evaluate-reach';
import { both } from './readable';
import type { ActionDecision } from './report';
import type { ReachSnapshotSet } from './snapshot-set';

/** A session whose reads reach evaluates: the instance's own (depth 0) or a chained role's. */
export interface Principal {
  readonly snapshot: SnapshotLike;
  readonly roleArn: string;
  readonly depth: number;
  /** Identity policies added after isolation (Sequester's deny; only the instance's role carries it). */
  readonly deny: ReadonlyArray<{ readonly name: string; readonly document: DocumentLike }>;
  /** The AssumeRole hops from the instance's session to this one, decided per context. */
  readonly link: ReadonlyArray<Readonly<Record<ContextName, ActionDecision>>>;
}

export interface ChainedRoleReport {
  readonly roleArn: string;
  readonly depth: number;
  readonly from: string;
  readonly assume: Readonly<Record<ContextName, ReachDecision>>;
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';
const assumable = (d: ReachDecision) => d === 'Allowed' || d === 'Conditional';

/**
 * The roles the session may assume, followed to `options.depth` hops: the caller's identity policies
 * must allow `sts:AssumeRole` on the role and the role's trust policy (evaluated as its resource policy)
 * must allow the caller, its role or its account, as the issue defines it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * A chained role's credentials are STS credentials, not the instance's: they carry no instance keys and
 * Sequester's deny does not reach sessions assumed before isolation; after isolation the instance's
 * session can no longer assume them, which is what `afterIsolation` shows.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export function assumableRoles(
  set: ReachSnapshotSet,
  instance: Principal,
  options: ReachOptions,
): { principals: Principal[]; report: ChainedRoleReport[] } {
  const principals: Principal[] = [];
  const report: ChainedRoleReport[] = [];
  const visited = new Set([instance.roleArn]);
  let frontier: Principal[] = [instance];
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const next: Principal[] = [];
    for (const from of frontier) {
      for (const role of set.roles) {
        if (visited.has(role.roleArn)) continue;
        const hop = decideHop(set, from, role.roleArn, role.trustPolicy, options);
        if (!assumable(hop.fromInstance.decision) && !assumable(hop.fromInternet.decision)) continue;
        visited.add(role.roleArn);
        const principal: Principal = {
          // Store and key policies and the resource accounts' RCPs are the instance snapshot's.
          snapshot: {
            ...role.snapshot,
            resources: [...set.instance.resources, ...role.snapshot.resources],
            rcps: { ...set.instance.rcps, ...role.snapshot.rcps },
            // Its requests from the instance go through the same VPC endpoints.
            vpcEndpoints: [...(set.instance.vpcEndpoints ?? []), ...(role.snapshot.vpcEndpoints ?? [])],
          },
          roleArn: role.roleArn,
          depth,
          deny: [],
          link: [...from.link, hop],
        };
        next.push(principal);
        principals.push(principal);
        report.push({
          roleArn: role.roleArn,
          depth,
          from: from.roleArn,
          assume: {
            fromInstance: hop.fromInstance.decision,
            fromInternet: hop.fromInternet.decision,
            afterIsolation: hop.afterIsolation.decision,
          },
        });
      }
    }
    frontier = next;
  }
  return { principals, report };
}

const TRUST_ALONE_IDENTITY = 'identity:(any)';
const ANY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] };

/**
 * Whether the trust policy itself allows the caller: a role's trust policy must allow even within its own
 * account, where the evaluator would let an identity grant suffice for a resource without a policy. Asked
 * as a cross-account request (the resource put in a placeholder account; only `aws:ResourceAccount`
 * differs) of a caller whose identity allows everything, so only the trust policy can deny.
 */
function trustAlone(from: Principal, roleArn: string, trust: DocumentLike): Principal {
  const account =
    accountOf(roleArn) === from.snapshot.principal.accountId ? '000000000000' : accountOf(roleArn);
  return {
    ...from,
    deny: [],
    snapshot: {
      principal: from.snapshot.principal,
      identityPolicies: [{ name: '(any)', document: ANY }],
      resources: [{ arn: roleArn, accountId: account, policy: trust }],
      requests: [],
    },
  };
}

function decideHop(
  set: ReachSnapshotSet,
  from: Principal,
  roleArn: string,
  trust: DocumentLike | null,
  options: ReachOptions,
): Record<ContextName, ActionDecision> {
  const side = { instanceCredentials: from.depth === 0, accountId: from.snapshot.principal.accountId };
  const resource = {
    service: 'sts',
    region: set.target.region,
    accountId: accountOf(roleArn),
    tags: {},
    tagsKnown: false,
  };
  const out = {} as Record<ContextName, ActionDecision>;
  for (const context of CONTEXTS) {
    const facts = requestFacts(set, resource, context, side, options, false);
    const request = [{ action: 'sts:AssumeRole', resource: roleArn, context: facts }];
    const withDeny = context === 'afterIsolation';
    const trusted = {
      ...from,
      snapshot: {
        ...from.snapshot,
        resources: [{ arn: roleArn, accountId: accountOf(roleArn), policy: trust }],
      },
    };
    const identityOnly = { ...from, snapshot: { ...from.snapshot, resources: [] } };
    const [t] = decide(trusted, request, withDeny);
    const [i] = decide(identityOnly, request, withDeny);
    const [own] = trust === null ? [undefined] : decide(trustAlone(from, roleArn, trust), request, false);
    // Denies and guardrails with the trust policy in place; the identity grant; the trust policy's own grant.
    const decision = [t, i, own].reduce<ReachDecision>(
      (acc, r) => both(acc, r?.decision ?? 'ImplicitDeny'),
      'Allowed',
    );
    // An earlier hop denied in this context denies this one too.
    const earlier = from.link.reduce<ReachDecision>((acc, l) => both(acc, l[context].decision), 'Allowed');
    out[context] = {
      action: 'sts:AssumeRole',
      resource: roleArn,
      decision: both(earlier, decision),
      decidedBy: [...(i?.decidedBy ?? []), ...(own?.decidedBy ?? [])]
        .filter((d) => d.policy !== TRUST_ALONE_IDENTITY)
        .map((d) => ({ ...d })),
      ...(t?.unknownKeys !== undefined || i?.unknownKeys !== undefined
        ? { unknownKeys: [...new Set([...(t?.unknownKeys ?? []), ...(i?.unknownKeys ?? [])])] }
        : {}),
    };
  }
  return out;
}
