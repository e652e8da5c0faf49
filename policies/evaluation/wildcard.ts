/**
 * IAM wildcard matching: `*` is any run of characters (also none), `?` exactly one. Action names compare
 * case-insensitively, ARNs and string conditions case-sensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 *
 * Patterns repeat across requests (a snapshot is evaluated for many requests, and the proxy evaluates the
 * same role policies for every call), so each pattern is compiled once and cached: a pattern without a
 * wildcard becomes a string comparison, the others one RegExp.
 */
export type Matcher = (value: string) => boolean;

// One cache per mode: [case-sensitive, case-insensitive] x [plain, escaped].
const caches = [
  new Map<string, Matcher>(),
  new Map<string, Matcher>(),
  new Map<string, Matcher>(),
  new Map<string, Matcher>(),
];
/** Bounds the caches: policies with per-request variables produce new patterns each time. */
const MAX_CACHED = 10_000;

function compile(pattern: string, ignoreCase: boolean, escaped: boolean): Matcher {
  if (pattern === '*') return () => true;
  if (escaped) return compileEscaped(pattern, ignoreCase);
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (v) => v === pattern;
    const lower = pattern.toLowerCase();
    return (v) => v.length === lower.length && v.toLowerCase() === lower;
  }
  let source = '';
  for (const ch of pattern) source += translate(ch, false);
  return toMatcher(source, ignoreCase);
}

/** A pattern from variable substitution: `\x` is the literal character x (see variables.ts). */
function compileEscaped(pattern: string, ignoreCase: boolean): Matcher {
  let source = '';
  let pendingEscape = false;
  for (const ch of pattern) {
    if (!pendingEscape && ch === '\\') {
      pendingEscape = true;
      continue;
    }
    source += translate(ch, pendingEscape);
    pendingEscape = false;
  }
  return toMatcher(source, ignoreCase);
}

function translate(ch: string, literal: boolean): string {
  if (!literal && ch === '*') return '.*';
  if (!literal && ch === '?') return '.';
  return ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function toMatcher(source: string, ignoreCase: boolean): Matcher {
  const re = new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su');
  return (v) => re.test(v);
}

/** The cached matcher of one IAM pattern. */
export function matcherFor(pattern: string, ignoreCase: boolean, escaped = false): Matcher {
  const cache = caches[(ignoreCase ? 1 : 0) + (escaped ? 2 : 0)] as Map<string, Matcher>;
  let m = cache.get(pattern);
  if (m === undefined) {
    m = compile(pattern, ignoreCase, escaped);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(pattern, m);
  }
  return m;
}

/** `value` matches the IAM wildcard `pattern`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return matcherFor(pattern, ignoreCase)(value);
}

/** An action name against an Action/NotAction entry: service prefix and name, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  return matcherFor(pattern, true)(action);
}

/**
 * ArnLike/ArnEquals compare the six colon-separated parts of an ARN one by one; the last part (the
 * resource) keeps any further colons. A value that is not an ARN of six parts never matches.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnLikeMatch(pattern: string, value: string, escaped = false): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (p === undefined || v === undefined) return false;
  for (let i = 0; i < 6; i++) {
    if (!matcherFor(p[i] ?? '', false, escaped)(v[i] ?? '')) return false;
  }
  return true;
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
