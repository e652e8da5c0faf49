import * as z from 'zod/mini';
import { parseOrThrow } from '../../lambdas/core/errors';
import { AccountId } from '../../lambdas/core/schemas/ids';

/**
 * The policy grammar IAM accepts: Action/Resource/Principal values as a string or a list, condition values
 * as strings, booleans or numbers (single or lists), Statement as one object or a list.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
const StringOrList = z.union([z.string(), z.array(z.string())]);
const ConditionScalar = z.union([z.string(), z.boolean(), z.number()]);
const ConditionValue = z.union([ConditionScalar, z.array(ConditionScalar)]);

/** Unknown statement elements are rejected, as IAM does (a misspelt `Actions` must not grant nothing silently). */
export const PolicyStatementSchema = z.strictObject({
  Sid: z.optional(z.string()),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.optional(StringOrList),
  NotAction: z.optional(StringOrList),
  Resource: z.optional(StringOrList),
  NotResource: z.optional(StringOrList),
  Principal: z.optional(z.union([z.literal('*'), z.record(z.string(), StringOrList)])),
  NotPrincipal: z.optional(z.union([z.literal('*'), z.record(z.string(), StringOrList)])),
  Condition: z.optional(z.record(z.string(), z.record(z.string(), ConditionValue))),
});

export const PolicyDocumentSchema = z.object({
  Version: z.optional(z.string()),
  Id: z.optional(z.string()),
  Statement: z.union([PolicyStatementSchema, z.array(PolicyStatementSchema)]),
});

const PolicyChain = z.array(z.array(PolicyDocumentSchema));

/**
 * Everything the evaluator needs to decide a batch of requests of one principal: its policies, the
 * organization guardrails, the resources' policies and the requests. Version 1.
 *
 * - `scps`: the principal account's SCP chain, root first, one array of documents per level; `[]` = none.
 * - `rcps`: per resource account, the RCP chain in the same form; `{}` = none.
 * - `resources`: the resources with their account and resource policy (for a KMS key, its key policy). An S3
 *   object uses its bucket's entry; a resource not listed belongs to the principal's account, with no policy.
 * - `vpcEndpoints`: VPC endpoint policies by endpoint id. A request whose context carries `aws:SourceVpce`
 *   went through that endpoint, and its policy must allow it too (`null` or absent: the default policy,
 *   full access). Optional; a snapshot without it is decided as before.
 * - `requests[].context`: request context keys; a list value is a multivalued key.
 *
 * @example
 * {
 *   "version": 1,
 *   "principal": { "arn": "arn:aws:sts::111122223333:assumed-role/web-role/i-0aaa1111aaaa1111a",
 *                  "accountId": "111122223333", "roleArn": "arn:aws:iam::111122223333:role/web-role",
 *                  "tags": { "team": "red" } },
 *   "identityPolicies": [ { "name": "app", "document": { "Version": "2012-10-17", "Statement": [] } } ],
 *   "permissionsBoundary": null,
 *   "sessionPolicies": [],
 *   "scps": [ [ { "Version": "2012-10-17", "Statement": [] } ] ],
 *   "rcps": { "111122223333": [ [ { "Version": "2012-10-17", "Statement": [] } ] ] },
 *   "resources": [ { "arn": "arn:aws:s3:::data-bucket", "accountId": "111122223333", "policy": null } ],
 *   "requests": [ { "action": "s3:GetObject", "resource": "arn:aws:s3:::data-bucket/a.txt",
 *                   "context": { "aws:SourceIp": "203.0.113.7" } } ]
 * }
 */
export const AuthorizationSnapshot = z.object({
  version: z.literal(1),
  principal: z.object({
    arn: z.string().check(z.minLength(1)),
    accountId: AccountId,
    roleArn: z.optional(z.string()),
    tags: z._default(z.record(z.string(), z.string()), {}),
  }),
  identityPolicies: z._default(z.array(z.object({ name: z.string(), document: PolicyDocumentSchema })), []),
  permissionsBoundary: z._default(z.nullable(PolicyDocumentSchema), null),
  sessionPolicies: z._default(z.array(PolicyDocumentSchema), []),
  scps: z._default(PolicyChain, []),
  rcps: z._default(z.record(AccountId, PolicyChain), {}),
  resources: z._default(
    z.array(
      z.object({
        arn: z.string().check(z.minLength(1)),
        accountId: AccountId,
        policy: z._default(z.nullable(PolicyDocumentSchema), null),
      }),
    ),
    [],
  ),
  vpcEndpoints: z._default(
    z.array(
      z.object({
        id: z.string().check(z.minLength(1)),
        policy: z._default(z.nullable(PolicyDocumentSchema), null),
      }),
    ),
    [],
  ),
  requests: z.array(
    z.object({
      action: z.string().check(z.regex(/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/, 'must be service:Action')),
      resource: z.string().check(z.minLength(1)),
      context: z.optional(z.record(z.string(), ConditionValue)),
    }),
  ),
});
export type AuthorizationSnapshot = z.infer<typeof AuthorizationSnapshot>;
export type AuthorizationRequest = AuthorizationSnapshot['requests'][number];

/** Parses a snapshot at the boundary; throws InvalidInputError naming the first bad field. */
export function parseSnapshot(input: unknown): AuthorizationSnapshot {
  return parseOrThrow(AuthorizationSnapshot, input);
}
