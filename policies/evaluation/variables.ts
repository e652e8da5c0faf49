import type { RequestContext } from './request-context';

/**
 * Policy variables in Resource and Condition values: `${key}` takes the value of a single-valued context
 * key (key name case-insensitive), `${key, 'default'}` falls back to the quoted default, and `${*}`, `${?}`,
 * `${$}` stand for the literal characters. A variable that cannot be resolved (key absent or multivalued,
 * no default) leaves the statement not applying: "If AWS cannot resolve a variable this might cause the
 * entire statement to be invalid".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 *
 * Variables exist only in policies with Version 2012-10-17; elsewhere `${...}` is literal text.
 */
export const UNRESOLVED = Symbol('unresolved');

// ${ name } or ${ name , 'default with '' quotes' }
const VARIABLE = /\$\{\s*([^}'\s,]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?\}/g;

const LITERALS: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };
const escapePattern = (s: string): string => s.replace(/[\\*?]/g, '\\$&');

/** The text with its variables replaced, for operators that compare whole values (StringEquals, ...). */
export function substitute(
  text: string,
  context: RequestContext,
  versioned: boolean,
): string | typeof UNRESOLVED {
  if (!versioned || !text.includes('${')) return text;
  return replace(text, context, (s) => s);
}

/**
 * The same for wildcard patterns (Resource, StringLike, ArnLike): the result is an escaped pattern for
 * `matcherFor(..., escaped = true)`, in which `${*}`, `${?}` and every substituted value match themselves
 * literally. Returns undefined when the text has no variable (match it as a plain pattern).
 */
export function substitutePattern(
  text: string,
  context: RequestContext,
  versioned: boolean,
): string | typeof UNRESOLVED | undefined {
  if (!versioned || !text.includes('${')) return undefined;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    out += text.slice(last, m.index).replace(/\\/g, '\\\\');
    const value = replace(m[0], context, escapePattern);
    if (value === UNRESOLVED) return UNRESOLVED;
    out += value;
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(/\\/g, '\\\\');
}

function replace(
  text: string,
  context: RequestContext,
  esc: (s: string) => string,
): string | typeof UNRESOLVED {
  let unresolved = false;
  const out = text.replace(VARIABLE, (_m, name: string, dflt: string | undefined) => {
    const literal = LITERALS[name];
    if (literal !== undefined) return esc(literal);
    const entry = context.get(name.toLowerCase());
    if (entry !== undefined && !entry.multivalued && entry.values.length === 1) {
      return esc(entry.values[0] ?? '');
    }
    if (dflt !== undefined) return esc(dflt.replace(/''/g, "'"));
    unresolved = true;
    return '';
  });
  return unresolved ? UNRESOLVED : out;
}
