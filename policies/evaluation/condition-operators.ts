import { inCidr, parseAddress, parseCidr } from './ip-address';
import { arnLikeMatch, matcherFor } from './wildcard';

/**
 * The condition operator families and how one request value compares with one policy value.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 *
 * Negated operators (StringNotEquals, NotIpAddress, ArnNotLike, ...) are the positive operator's match
 * negated: "multiple values in a negated operator are evaluated with a logical NOR".
 */
export interface ParsedOperator {
  /** How values compare; Null is handled by the caller (it looks at presence only). */
  readonly compare: Compare | 'null';
  readonly negated: boolean;
  /** `...IfExists`: a missing key makes the condition true. */
  readonly ifExists: boolean;
  readonly set: 'ForAllValues' | 'ForAnyValue' | undefined;
  /** Policy values are wildcard patterns (StringLike, Arn*): substituted variables must stay literal. */
  readonly pattern: 'string' | 'arn' | undefined;
}

/** One request value against one policy value (already substituted; `escaped` for substituted patterns). */
export type Compare = (requestValue: string, policyValue: string, escaped: boolean) => boolean;

const number = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
/** Dates are ISO 8601 or epoch seconds. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date */
function date(s: string): number {
  const t = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  return Date.parse(t);
}
const numeric =
  (cmp: (a: number, b: number) => boolean, parse: (s: string) => number): Compare =>
  (v, p) => {
    const a = parse(v);
    const b = parse(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
  };
const base64 = (s: string): string => Buffer.from(s, 'base64').toString('hex');

const stringEquals: Compare = (v, p) => v === p;
const stringEqualsIgnoreCase: Compare = (v, p) => v.toLowerCase() === p.toLowerCase();
const stringLike: Compare = (v, p, escaped) => matcherFor(p, false, escaped)(v);
const arnLike: Compare = (v, p, escaped) => arnLikeMatch(p, v, escaped);
const ipAddress: Compare = (v, p) => {
  const address = parseAddress(v);
  const cidr = parseCidr(p.trim());
  return address !== undefined && cidr !== undefined && inCidr(address, cidr);
};

interface Family {
  readonly compare: Compare | 'null';
  readonly negated: boolean;
  readonly pattern?: 'string' | 'arn';
}
const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

/** Keyed by lower-cased operator name: operator names are matched case-insensitively. */
const FAMILIES: ReadonlyMap<string, Family> = new Map<string, Family>([
  ['stringequals', { compare: stringEquals, negated: false }],
  ['stringnotequals', { compare: stringEquals, negated: true }],
  ['stringequalsignorecase', { compare: stringEqualsIgnoreCase, negated: false }],
  ['stringnotequalsignorecase', { compare: stringEqualsIgnoreCase, negated: true }],
  ['stringlike', { compare: stringLike, negated: false, pattern: 'string' }],
  ['stringnotlike', { compare: stringLike, negated: true, pattern: 'string' }],
  ['numericequals', { compare: numeric(eq, number), negated: false }],
  ['numericnotequals', { compare: numeric(eq, number), negated: true }],
  ['numericlessthan', { compare: numeric(lt, number), negated: false }],
  ['numericlessthanequals', { compare: numeric(le, number), negated: false }],
  ['numericgreaterthan', { compare: numeric(gt, number), negated: false }],
  ['numericgreaterthanequals', { compare: numeric(ge, number), negated: false }],
  ['dateequals', { compare: numeric(eq, date), negated: false }],
  ['datenotequals', { compare: numeric(eq, date), negated: true }],
  ['datelessthan', { compare: numeric(lt, date), negated: false }],
  ['datelessthanequals', { compare: numeric(le, date), negated: false }],
  ['dategreaterthan', { compare: numeric(gt, date), negated: false }],
  ['dategreaterthanequals', { compare: numeric(ge, date), negated: false }],
  ['bool', { compare: stringEqualsIgnoreCase, negated: false }],
  ['binaryequals', { compare: (v, p) => base64(v) === base64(p), negated: false }],
  ['ipaddress', { compare: ipAddress, negated: false }],
  ['notipaddress', { compare: ipAddress, negated: true }],
  ['arnequals', { compare: arnLike, negated: false, pattern: 'arn' }],
  ['arnlike', { compare: arnLike, negated: false, pattern: 'arn' }],
  ['arnnotequals', { compare: arnLike, negated: true, pattern: 'arn' }],
  ['arnnotlike', { compare: arnLike, negated: true, pattern: 'arn' }],
  ['null', { compare: 'null', negated: false }],
]);

const parsedCache = new Map<string, ParsedOperator | null>();

/**
 * Parses `ForAnyValue:StringLikeIfExists` and the like; undefined for an operator IAM does not know
 * (such a condition never matches; validateSnapshot reports it). Null has no IfExists form.
 */
export function parseOperator(name: string): ParsedOperator | undefined {
  const cached = parsedCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let rest = name.toLowerCase();
  let set: ParsedOperator['set'];
  if (rest.startsWith('forallvalues:')) set = 'ForAllValues';
  else if (rest.startsWith('foranyvalue:')) set = 'ForAnyValue';
  if (set !== undefined) rest = rest.slice(rest.indexOf(':') + 1);
  const ifExists = rest.endsWith('ifexists') && rest !== 'null';
  if (ifExists) rest = rest.slice(0, -'ifexists'.length);
  const family = FAMILIES.get(rest);
  const parsed: ParsedOperator | null =
    family === undefined || (family.compare === 'null' && (ifExists || set !== undefined))
      ? null
      : { ...family, pattern: family.pattern, ifExists, set };
  parsedCache.set(name, parsed);
  return parsed ?? undefined;
}
