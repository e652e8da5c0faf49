import { type ParsedOperator, parseOperator } from './condition-operators';
import type { StatementLike } from './policy-types';
import type { ContextEntry, RequestContext } from './request-context';
import { substitute, substitutePattern, UNRESOLVED } from './variables';

/**
 * Evaluates a statement's Condition element: every operator and every key must be true (AND); the values
 * listed for one key are alternatives (OR; NOR for negated operators).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 *
 * Missing keys: a positive operator is false, a negated one true ("If the key that you specify in a policy
 * condition is not present in the request context, the values do not match"; a NotLike/NotEquals then
 * holds), `...IfExists` is true, `ForAllValues:` is true and `ForAnyValue:` false.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function conditionsHold(
  condition: StatementLike['Condition'],
  context: RequestContext,
  versioned: boolean,
): boolean {
  if (condition === undefined) return true;
  const tests = compileCondition(condition);
  if (tests === undefined) return false;
  for (const t of tests) {
    if (!keyHolds(t.op, context.get(t.key), t.values, context, versioned)) return false;
  }
  return true;
}

interface KeyTest {
  readonly op: ParsedOperator;
  /** Lower-cased: condition key names are case-insensitive. */
  readonly key: string;
  readonly values: ReadonlyArray<string>;
}

// A Condition element is compiled once (operators parsed, keys lower-cased, values as strings), then
// evaluated for every request. undefined = an operator IAM does not know: the condition never holds.
const compiledConditions = new WeakMap<object, ReadonlyArray<KeyTest> | undefined>();

function compileCondition(
  condition: NonNullable<StatementLike['Condition']>,
): ReadonlyArray<KeyTest> | undefined {
  if (compiledConditions.has(condition)) return compiledConditions.get(condition);
  let tests: KeyTest[] | undefined = [];
  for (const [operatorName, keys] of Object.entries(condition)) {
    const op = parseOperator(operatorName);
    if (op === undefined) {
      tests = undefined;
      break;
    }
    for (const [key, raw] of Object.entries(keys)) {
      const list = (Array.isArray(raw) ? raw : [raw]) as ReadonlyArray<string | boolean | number>;
      tests.push({
        op,
        key: key.toLowerCase(),
        values: list.map((v) => (typeof v === 'string' ? v : String(v))),
      });
    }
  }
  compiledConditions.set(condition, tests);
  return tests;
}

function keyHolds(
  op: ParsedOperator,
  entry: ContextEntry | undefined,
  policyValues: ReadonlyArray<string>,
  context: RequestContext,
  versioned: boolean,
): boolean {
  const present = entry !== undefined && entry.values.length > 0;
  if (op.compare === 'null') {
    // "true" holds when the key is absent, "false" when it is present.
    return policyValues.some((p) => (p.toLowerCase() === 'true') === !present);
  }
  if (!present) {
    if (op.ifExists || op.set === 'ForAllValues') return true;
    if (op.set === 'ForAnyValue') return false;
    return op.negated;
  }
  const compare = op.compare;
  const resolved: Array<{ value: string; escaped: boolean }> = [];
  for (const text of policyValues) {
    if (op.pattern !== undefined) {
      const pattern = substitutePattern(text, context, versioned);
      if (pattern === UNRESOLVED) return false;
      resolved.push(
        pattern === undefined ? { value: text, escaped: false } : { value: pattern, escaped: true },
      );
    } else {
      const value = substitute(text, context, versioned);
      if (value === UNRESOLVED) return false;
      resolved.push({ value, escaped: false });
    }
  }
  const anyMatch = (v: string): boolean => resolved.some((p) => compare(v, p.value, p.escaped));
  const test = op.negated ? (v: string) => !anyMatch(v) : anyMatch;
  const values = entry.values;
  if (op.set === 'ForAllValues') return values.every(test);
  if (op.set === 'ForAnyValue') return values.some(test);
  // Without a set operator, a positive operator holds when any value matches; a negated one when none does.
  return op.negated ? values.every(test) : values.some(test);
}
