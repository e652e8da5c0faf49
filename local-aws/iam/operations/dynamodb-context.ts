import type { ContextValue } from './types';

/** Words of the expression grammar that are not attribute names. */
const KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'IN', 'BETWEEN']);

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

/**
 * The top-level attribute names an update or condition expression touches: `#name` placeholders
 * resolved through ExpressionAttributeNames, bare names as they are; `:values`, function names and
 * nested paths (`a.b`, `a[0]`) are not top-level attributes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 */
export function expressionAttributes(expression: unknown, names: Json): string[] {
  if (typeof expression !== 'string') return [];
  const bare = expression
    .replace(/:[A-Za-z0-9_]+/g, ' ')
    .replace(/\[\d+\]/g, '')
    .replace(/\.#?[A-Za-z0-9_]+/g, '');
  const out: string[] = [];
  for (const m of bare.matchAll(/(#[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    const [, token = '', call] = m;
    if (call !== undefined || KEYWORDS.has(token.toUpperCase())) continue;
    const name = token.startsWith('#') ? names[token] : token;
    if (typeof name === 'string') out.push(name);
  }
  return out;
}

/** The value of a DynamoDB JSON attribute (`{"S": "Q#q-1"}`) as a string. */
const scalar = (v: unknown): string | undefined => {
  const [value] = Object.values(record(v));
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * DynamoDB's fine-grained access control keys of an item write (UpdateItem, PutItem):
 * - `dynamodb:Attributes`: every top-level attribute the request names (key, updated, conditioned, or
 *   the put item's), which AWS checks with ForAllValues against the policy's list;
 * - `dynamodb:LeadingKeys`: the partition key value. The enforcer does not read table schemas, so it
 *   knows the partition key only for a key of one attribute (the ledger's `pk`); a composite key leaves
 *   the key out, which a policy's `Null` check then refuses.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function itemWriteContext(json: Json): Record<string, ContextValue> {
  const key = record(json.Key ?? json.Item);
  const names = record(json.ExpressionAttributeNames);
  const attributes = new Set([
    ...Object.keys(record(json.Key)),
    ...Object.keys(record(json.Item)),
    ...Object.keys(record(json.AttributeUpdates)),
    ...expressionAttributes(json.UpdateExpression, names),
    ...expressionAttributes(json.ConditionExpression, names),
  ]);
  const keys = Object.values(json.Key === undefined ? {} : key);
  const leading = keys.length === 1 ? scalar(keys[0]) : undefined;
  return {
    'dynamodb:Attributes': [...attributes].sort(),
    ...(leading === undefined ? {} : { 'dynamodb:LeadingKeys': [leading] }),
  };
}
