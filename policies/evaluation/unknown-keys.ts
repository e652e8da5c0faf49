import { type Decision, type EvaluationResult, evaluate } from './evaluate';
import type { DecidingStatement } from './policy-scan';
import {
  type ConditionValue,
  type DocumentLike,
  type SnapshotLike,
  type StatementLike,
  statementsOf,
} from './policy-types';

/**
 * Evaluation when some condition keys have values nobody can know offline (the attacker's source address,
 * request parameters such as `s3:prefix`, an object's tags): a statement whose Condition (or a policy
 * variable in its Resource or Condition values) references such a key may or may not apply, and a decision
 * that depends on it is `Conditional`, never a guess either way.
 *
 * Each request is decided twice over rewritten policies: once with every such Allow applying wherever its
 * known parts hold and every such Deny never applying (the most permissive reading), once the other way
 * round. AWS's evaluation is monotone in applicable statements (an extra applicable Allow never denies, an
 * extra applicable Deny never allows; the evaluator's property tests hold it to that), so whatever the
 * unknown values are, the true decision lies between the two: equal readings are the decision; an Allow in
 * one and a deny in the other is `Conditional`.
 */
export type ReachDecision = Decision | 'Conditional';

export interface UnknownAwareResult extends Omit<EvaluationResult, 'decision'> {
  readonly decision: ReachDecision;
  /** The unknown keys the conditional statements reference (lower-cased), for a Conditional decision. */
  readonly unknownKeys?: ReadonlyArray<string>;
}

/** Whether a (lower-cased) condition key's value is unknown for request `index` of the snapshot. */
export type UnknownKeyTest = (key: string, index: number) => boolean;

const VARIABLE = /\$\{\s*([^}'\s,]+)\s*(?:,\s*'(?:[^']|'')*'\s*)?\}/g;
const LITERAL_VARIABLES = new Set(['*', '?', '$']);
const list = (v: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;

function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].flatMap((m) =>
    m[1] === undefined || LITERAL_VARIABLES.has(m[1]) ? [] : [m[1].toLowerCase()],
  );
}
const valueTexts = (v: ConditionValue): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

/** Every key a statement's conditions and variables reference. */
function referencedKeys(s: StatementLike): string[] {
  const keys: string[] = [];
  for (const block of Object.values(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(block)) {
      keys.push(key.toLowerCase());
      for (const t of valueTexts(value)) keys.push(...variablesIn(t));
    }
  }
  for (const r of [...list(s.Resource), ...list(s.NotResource)]) keys.push(...variablesIn(r));
  return keys;
}

/** A statement that never applies, at the same index (decidedBy indexes stay those of the real policy). */
const never = (s: StatementLike): StatementLike => ({
  ...(s.Sid !== undefined ? { Sid: s.Sid } : {}),
  Effect: s.Effect,
  NotAction: '*',
  Resource: '*',
});

/**
 * The statement applying wherever its known parts hold: condition entries on unknown keys dropped, an
 * unknown variable in Resource widened to `*`, a NotResource with one dropped (it then covers everything).
 */
function widened(s: StatementLike, unknown: ReadonlySet<string>): StatementLike {
  const touches = (t: string) => variablesIn(t).some((k) => unknown.has(k));
  const condition: Record<string, Record<string, ConditionValue>> = {};
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    const kept = Object.entries(block).filter(
      ([key, value]) => !unknown.has(key.toLowerCase()) && !valueTexts(value).some(touches),
    );
    if (kept.length > 0) condition[op] = Object.fromEntries(kept);
  }
  const { Condition: _c, Resource, NotResource, ...rest } = s;
  const resource = Resource === undefined ? undefined : list(Resource).map((r) => (touches(r) ? '*' : r));
  const notResourceUnknown = list(NotResource).some(touches);
  return {
    ...rest,
    ...(resource !== undefined ? { Resource: resource } : {}),
    ...(NotResource !== undefined && !notResourceUnknown ? { NotResource } : {}),
    ...(notResourceUnknown ? { Resource: '*' } : {}),
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

type Reading = 'permissive' | 'strict';

function rewriteDocument(doc: DocumentLike, unknown: ReadonlySet<string>, reading: Reading): DocumentLike {
  const statements = statementsOf(doc).map((s) => {
    if (!referencedKeys(s).some((k) => unknown.has(k))) return s;
    const widen = reading === 'permissive' ? s.Effect === 'Allow' : s.Effect === 'Deny';
    return widen ? widened(s, unknown) : never(s);
  });
  return { ...doc, Statement: statements };
}

function rewrite(snapshot: SnapshotLike, unknown: ReadonlySet<string>, reading: Reading): SnapshotLike {
  const doc = (d: DocumentLike) => rewriteDocument(d, unknown, reading);
  const chain = (c: ReadonlyArray<ReadonlyArray<DocumentLike>>) => c.map((level) => level.map(doc));
  return {
    ...snapshot,
    identityPolicies: (snapshot.identityPolicies ?? []).map((p) => ({ ...p, document: doc(p.document) })),
    permissionsBoundary: snapshot.permissionsBoundary ? doc(snapshot.permissionsBoundary) : null,
    sessionPolicies: (snapshot.sessionPolicies ?? []).map(doc),
    scps: chain(snapshot.scps ?? []),
    rcps: Object.fromEntries(Object.entries(snapshot.rcps ?? {}).map(([a, c]) => [a, chain(c)])),
    resources: (snapshot.resources ?? []).map((r) => ({ ...r, policy: r.policy ? doc(r.policy) : null })),
    vpcEndpoints: (snapshot.vpcEndpoints ?? []).map((e) => ({
      ...e,
      policy: e.policy ? doc(e.policy) : null,
    })),
  };
}

function allDocuments(snapshot: SnapshotLike): DocumentLike[] {
  return [
    ...(snapshot.identityPolicies ?? []).map((p) => p.document),
    ...(snapshot.permissionsBoundary ? [snapshot.permissionsBoundary] : []),
    ...(snapshot.sessionPolicies ?? []),
    ...(snapshot.scps ?? []).flat(),
    ...Object.values(snapshot.rcps ?? {}).flatMap((c) => c.flat()),
    ...(snapshot.resources ?? []).flatMap((r) => (r.policy ? [r.policy] : [])),
    ...(snapshot.vpcEndpoints ?? []).flatMap((e) => (e.policy ? [e.policy] : [])),
  ];
}

const key = (d: DecidingStatement) => `${d.policy}#${d.statement}`;
const union = (a: ReadonlyArray<DecidingStatement>, b: ReadonlyArray<DecidingStatement>) => {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((d) => !seen.has(key(d)))];
};

/** `evaluate`, with keys `isUnknown` names treated as unknown (see above); one result per request, in order. */
export function evaluateWithUnknownKeys(
  snapshot: SnapshotLike,
  isUnknown: UnknownKeyTest,
): UnknownAwareResult[] {
  const referenced = [
    ...new Set(allDocuments(snapshot).flatMap((d) => statementsOf(d).flatMap(referencedKeys))),
  ];
  // Requests with the same unknown referenced keys share one pair of rewritten snapshots.
  const groups = new Map<string, { unknown: string[]; indexes: number[] }>();
  snapshot.requests.forEach((_, i) => {
    const unknown = referenced.filter((k) => isUnknown(k, i)).sort();
    const id = unknown.join('\n');
    const g = groups.get(id) ?? { unknown, indexes: [] };
    g.indexes.push(i);
    groups.set(id, g);
  });
  const out: UnknownAwareResult[] = new Array(snapshot.requests.length);
  for (const { unknown, indexes } of groups.values()) {
    const requests = indexes.map((i) => snapshot.requests[i] as SnapshotLike['requests'][number]);
    if (unknown.length === 0) {
      evaluate({ ...snapshot, requests }).forEach((r, j) => {
        out[indexes[j] as number] = r;
      });
      continue;
    }
    const set = new Set(unknown);
    const permissive = evaluate({ ...rewrite(snapshot, set, 'permissive'), requests });
    const strict = evaluate({ ...rewrite(snapshot, set, 'strict'), requests });
    permissive.forEach((p, j) => {
      const s = strict[j] as EvaluationResult;
      out[indexes[j] as number] = combine(p, s, unknown);
    });
  }
  return out;
}

function combine(
  permissive: EvaluationResult,
  strict: EvaluationResult,
  unknown: ReadonlyArray<string>,
): UnknownAwareResult {
  // Allowed in the strict reading: allowed whatever the unknown values are.
  if (strict.decision === 'Allowed') return strict;
  // Denied in the permissive reading: denied whatever they are (an ExplicitDeny there needs no unknown key).
  if (permissive.decision !== 'Allowed') return permissive;
  return {
    action: permissive.action,
    resource: permissive.resource,
    decision: 'Conditional',
    decidedBy: union(permissive.decidedBy, strict.decidedBy),
    unknownKeys: unknown,
  };
}
