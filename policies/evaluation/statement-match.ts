import { conditionsHold } from './condition-block';
import type { StatementLike, StringOrList } from './policy-types';
import { notPrincipalApplies, type PrincipalKind, principalKind } from './principal-match';
import type { PrincipalFacts, RequestContext } from './request-context';
import { substitutePattern, UNRESOLVED } from './variables';
import { type Matcher, matcherFor } from './wildcard';

/**
 * Whether one statement applies to one request: its Action/NotAction, Resource/NotResource, (in resource
 * policies) Principal/NotPrincipal and Condition all match.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 */
export interface MatchInput {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

/** For resource policies: who is calling, and whether it has a boundary (NotPrincipal rule). */
export interface PrincipalCheck {
  readonly caller: PrincipalFacts;
  readonly hasBoundary: boolean;
}

interface Compiled {
  readonly actions: ReadonlyArray<Matcher> | undefined;
  readonly notActions: ReadonlyArray<Matcher> | undefined;
  readonly resources: ReadonlyArray<string> | undefined;
  readonly notResources: ReadonlyArray<string> | undefined;
}

const list = (v: StringOrList | undefined): ReadonlyArray<string> | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? [v] : v;

// Statements are evaluated for many requests: their action matchers are built once per statement object.
const compiled = new WeakMap<StatementLike, Compiled>();

function compile(s: StatementLike): Compiled {
  let c = compiled.get(s);
  if (c === undefined) {
    c = {
      actions: list(s.Action)?.map((a) => matcherFor(a, true)),
      notActions: list(s.NotAction)?.map((a) => matcherFor(a, true)),
      resources: list(s.Resource),
      notResources: list(s.NotResource),
    };
    compiled.set(s, c);
  }
  return c;
}

function anyResource(
  patterns: ReadonlyArray<string>,
  input: MatchInput,
  versioned: boolean,
): boolean | typeof UNRESOLVED {
  for (const p of patterns) {
    const substituted = substitutePattern(p, input.context, versioned);
    if (substituted === UNRESOLVED) return UNRESOLVED;
    const hit =
      substituted === undefined
        ? matcherFor(p, false)(input.resource)
        : matcherFor(substituted, false, true)(input.resource);
    if (hit) return true;
  }
  return false;
}

/**
 * Matches `s` against the request (policy variables are substituted only when `versioned`: the document
 * says Version 2012-10-17). Returns false when it does not apply; otherwise true, or for a resource
 * policy the PrincipalKind by which its Principal names the caller (NotPrincipal: `session`).
 */
export function statementApplies(
  s: StatementLike,
  input: MatchInput,
  versioned: boolean,
  principal?: PrincipalCheck,
): PrincipalKind | boolean {
  const c = compile(s);
  if (c.actions !== undefined) {
    if (!c.actions.some((m) => m(input.action))) return false;
  } else if (c.notActions !== undefined) {
    if (c.notActions.some((m) => m(input.action))) return false;
  } else return false;

  if (c.resources !== undefined) {
    const r = anyResource(c.resources, input, versioned);
    if (r !== true) return false;
  } else if (c.notResources !== undefined) {
    const r = anyResource(c.notResources, input, versioned);
    if (r !== false) return false;
  }

  let kind: PrincipalKind | true = true;
  if (principal !== undefined) {
    if (s.Principal !== undefined) {
      const k = principalKind(s.Principal, principal.caller);
      if (k === undefined) return false;
      kind = k;
    } else if (s.NotPrincipal !== undefined) {
      const boundaryRule = s.Effect === 'Deny' && principal.hasBoundary;
      if (!notPrincipalApplies(s.NotPrincipal, principal.caller, boundaryRule)) return false;
      kind = 'session';
    } else return false;
  }
  if (!conditionsHold(s.Condition, input.context, versioned)) return false;
  return kind;
}
