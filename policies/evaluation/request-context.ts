import type { ConditionValue } from './policy-types';

/**
 * The request context as conditions read it. Condition key names are case-insensitive, so keys are stored
 * lower-cased; values keep their case. A list in the snapshot makes a multivalued key.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export interface ContextEntry {
  readonly values: ReadonlyArray<string>;
  readonly multivalued: boolean;
}
export type RequestContext = ReadonlyMap<string, ContextEntry>;

/** What the evaluator knows of the caller, for the keys it fills itself. */
export interface PrincipalFacts {
  readonly arn: string;
  readonly accountId: string;
  readonly roleArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

function asString(v: string | boolean | number): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * Builds one request's context: the request's own keys, then the keys the evaluator fills:
 * aws:PrincipalArn (for an assumed-role session, the role's ARN, as AWS documents), aws:PrincipalAccount,
 * aws:PrincipalTag/<key> and aws:ResourceAccount. These win over the same keys in `context`, since AWS
 * sets them from the authenticated caller, not from anything the request says.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function buildContext(
  principal: PrincipalFacts,
  resourceAccount: string,
  context: Readonly<Record<string, ConditionValue>> | undefined,
): RequestContext {
  const map = new Map<string, ContextEntry>();
  if (context !== undefined) {
    for (const [key, value] of Object.entries(context)) {
      const multivalued = Array.isArray(value);
      const list = multivalued ? (value as ReadonlyArray<string | boolean | number>) : [value as string];
      map.set(key.toLowerCase(), { values: list.map(asString), multivalued });
    }
  }
  const single = (v: string): ContextEntry => ({ values: [v], multivalued: false });
  map.set('aws:principalarn', single(principal.roleArn ?? principal.arn));
  map.set('aws:principalaccount', single(principal.accountId));
  for (const [k, v] of Object.entries(principal.tags ?? {})) {
    map.set(`aws:principaltag/${k.toLowerCase()}`, single(v));
  }
  map.set('aws:resourceaccount', single(resourceAccount));
  return map;
}
