import { type Chain, evaluateChain, nameChain, rcpApplies } from './guardrails';
import {
  type AllowHit,
  type DecidingStatement,
  EMPTY_SCAN,
  type NamedDocument,
  scanPolicies,
} from './policy-scan';
import type { SnapshotLike } from './policy-types';
import { buildContext } from './request-context';
import { isKmsKey, resourceIndex } from './resource-lookup';

export type Decision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny';

export interface EvaluationResult {
  readonly action: string;
  readonly resource: string;
  readonly decision: Decision;
  readonly decidedBy: ReadonlyArray<DecidingStatement>;
}

/**
 * Decides every request of the snapshot the way AWS's enforcement code does (pure, synchronous):
 * 1. an applicable Deny in any policy (SCP, RCP, resource, identity, boundary, session) wins;
 * 2. every RCP level of the resource account and every SCP level of the principal account must allow;
 * 3. same account: a resource policy naming the session allows on its own, one naming the role allows
 *    within the boundary and session policies; otherwise identity ∩ boundary ∩ session policies must allow;
 * 4. across accounts: the resource policy and identity ∩ boundary ∩ session policies must both allow;
 * 5. KMS keys: the key policy must allow, directly or by delegating to the account (then IAM must allow);
 * 6. through a VPC endpoint (`aws:SourceVpce` in the context, its policy in `vpcEndpoints`): the endpoint
 *    policy must allow as well. It "does not override or replace identity-based policies or resource-based
 *    policies": it only controls which principals may use the endpoint for which actions and resources,
 *    so a deny in it denies and a missing allow denies, whatever the other policies grant.
 *    https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
 */
export function evaluate(snapshot: SnapshotLike): EvaluationResult[] {
  const principal = snapshot.principal;
  const lookup = resourceIndex(snapshot.resources ?? [], principal.accountId);
  const identity: NamedDocument[] = (snapshot.identityPolicies ?? []).map((p) => ({
    name: `identity:${p.name}`,
    document: p.document,
  }));
  const boundaryDoc = snapshot.permissionsBoundary ?? null;
  const boundary: NamedDocument[] = boundaryDoc === null ? [] : [{ name: 'boundary', document: boundaryDoc }];
  const sessions: NamedDocument[] = (snapshot.sessionPolicies ?? []).map((document, i) => ({
    name: `session:${i}`,
    document,
  }));
  const scps = nameChain(snapshot.scps ?? [], 'scp');
  const rcpsByAccount = new Map<string, ReturnType<typeof nameChain>>();
  const rcpsOf = (account: string) => {
    let named = rcpsByAccount.get(account);
    if (named === undefined) {
      const chain: Chain = snapshot.rcps?.[account] ?? [];
      named = nameChain(chain, `rcp:${account}`);
      rcpsByAccount.set(account, named);
    }
    return named;
  };
  const principalCheck = { caller: principal, hasBoundary: boundaryDoc !== null };
  const endpointPolicies = new Map<string, NamedDocument>();
  for (const e of snapshot.vpcEndpoints ?? []) {
    if (e.policy) endpointPolicies.set(e.id, { name: `vpce:${e.id}`, document: e.policy });
  }

  return snapshot.requests.map((request): EvaluationResult => {
    const resource = lookup(request.resource);
    const context = buildContext(principal, resource.accountId, request.context);
    const input = { action: request.action, resource: request.resource, context };
    const endpoint = endpointPolicies.get(context.get('aws:sourcevpce')?.values[0] ?? '');
    const vpce = endpoint === undefined ? EMPTY_SCAN : scanPolicies([endpoint], input, principalCheck);
    const result = (decision: Decision, decidedBy: ReadonlyArray<DecidingStatement>): EvaluationResult => ({
      action: request.action,
      resource: request.resource,
      decision,
      decidedBy: decision === 'Allowed' ? [...decidedBy, ...vpce.allows.map(strip)] : decidedBy,
    });

    const id = scanPolicies(identity, input);
    const pb = boundary.length > 0 ? scanPolicies(boundary, input) : EMPTY_SCAN;
    const sp = sessions.length > 0 ? scanPolicies(sessions, input) : EMPTY_SCAN;
    const rp =
      resource.policy === null
        ? EMPTY_SCAN
        : scanPolicies(
            [{ name: `resource:${resource.arn}`, document: resource.policy }],
            input,
            principalCheck,
          );
    const scp = evaluateChain(scps, 'scp', input);
    const rcp = rcpApplies(request.action)
      ? evaluateChain(rcpsOf(resource.accountId), `rcp:${resource.accountId}`, input)
      : { denies: [], missing: undefined };

    const denies = [
      ...scp.denies,
      ...rcp.denies,
      ...vpce.denies,
      ...rp.denies,
      ...id.denies,
      ...pb.denies,
      ...sp.denies,
    ];
    if (denies.length > 0) return result('ExplicitDeny', denies);
    if (rcp.missing !== undefined) return result('ImplicitDeny', [rcp.missing]);
    if (scp.missing !== undefined) return result('ImplicitDeny', [scp.missing]);
    if (endpoint !== undefined && vpce.allows.length === 0)
      return result('ImplicitDeny', [{ policy: endpoint.name, statement: -1 }]);

    // The boundary and session policies limit identity grants and role-ARN resource grants alike.
    const boundaryOk = boundary.length === 0 || pb.allows.length > 0;
    const sessionOk = sessions.length === 0 || sp.allows.length > 0;
    const limits = [...pb.allows, ...sp.allows].map(strip);
    const identityOk = id.allows.length > 0 && boundaryOk && sessionOk;
    const identityGrant = [...id.allows.map(strip), ...limits];
    const byKind = (kind: AllowHit['kind']) => rp.allows.filter((h) => h.kind === kind).map(strip);
    const sessionGrant = byKind('session');
    const roleGrant = byKind('role');
    const accountGrant = byKind('account');
    const kms = isKmsKey(request.action, request.resource);
    const sameAccount = resource.accountId === principal.accountId;

    if (!sameAccount) {
      // Cross-account: both sides must allow; any way the resource policy names the caller counts.
      if (rp.allows.length === 0) {
        return result('ImplicitDeny', [{ policy: `resource:${resource.arn}`, statement: -1 }]);
      }
      if (identityOk) return result('Allowed', [...rp.allows.map(strip), ...identityGrant]);
      return result('ImplicitDeny', missingIdentityPiece(id.allows.length, boundaryOk, sessionOk));
    }
    if (sessionGrant.length > 0) return result('Allowed', sessionGrant);
    if (roleGrant.length > 0 && boundaryOk && sessionOk) return result('Allowed', [...roleGrant, ...limits]);
    if (kms) {
      // "If the key policy doesn't allow it, no IAM policy can": IAM policies count only where the key
      // policy delegates to the account, and a key without a key policy (or not listed) is unusable.
      if (accountGrant.length > 0 && identityOk)
        return result('Allowed', [...accountGrant, ...identityGrant]);
      if (accountGrant.length === 0) {
        return result('ImplicitDeny', [{ policy: `resource:${resource.arn}`, statement: -1 }]);
      }
      return result('ImplicitDeny', missingIdentityPiece(id.allows.length, boundaryOk, sessionOk));
    }
    if (identityOk) return result('Allowed', identityGrant);
    return result('ImplicitDeny', missingIdentityPiece(id.allows.length, boundaryOk, sessionOk));
  });
}

function strip(hit: AllowHit): DecidingStatement {
  const { kind: _kind, ...rest } = hit;
  return rest;
}

/** When an identity policy allowed, the boundary or session policies that did not (else nothing to name). */
function missingIdentityPiece(
  identityAllows: number,
  boundaryOk: boolean,
  sessionOk: boolean,
): DecidingStatement[] {
  if (identityAllows === 0) return [];
  const missing: DecidingStatement[] = [];
  if (!boundaryOk) missing.push({ policy: 'boundary', statement: -1 });
  if (!sessionOk) missing.push({ policy: 'session', statement: -1 });
  return missing;
}
