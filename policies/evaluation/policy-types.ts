import type { PolicyDocument } from '../policy-document';
import type { AuthorizationSnapshot } from './snapshot';

/**
 * The structural types the evaluator reads: wide enough for a parsed AuthorizationSnapshot and for the
 * project's own PolicyDocument builders (readonly arrays, a single Statement object), so callers can
 * evaluate the policies in `policies/` without a JSON round trip.
 */
export type ConditionScalar = string | boolean | number;
export type ConditionValue = ConditionScalar | ReadonlyArray<ConditionScalar>;
export type StringOrList = string | ReadonlyArray<string>;
export type PrincipalValue = '*' | Readonly<Record<string, StringOrList>>;

export interface StatementLike {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: StringOrList;
  readonly NotAction?: StringOrList;
  readonly Resource?: StringOrList;
  readonly NotResource?: StringOrList;
  readonly Principal?: PrincipalValue;
  readonly NotPrincipal?: PrincipalValue;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;
}

export interface DocumentLike {
  readonly Version?: string;
  readonly Statement: StatementLike | ReadonlyArray<StatementLike>;
}

type PolicyChain = ReadonlyArray<ReadonlyArray<DocumentLike>>;

/** What `evaluate` accepts: an AuthorizationSnapshot, or the same shape built in code. */
export interface SnapshotLike {
  readonly principal: {
    readonly arn: string;
    readonly accountId: string;
    readonly roleArn?: string;
    readonly tags?: Readonly<Record<string, string>>;
  };
  readonly identityPolicies?: ReadonlyArray<{ readonly name: string; readonly document: DocumentLike }>;
  readonly permissionsBoundary?: DocumentLike | null;
  readonly sessionPolicies?: ReadonlyArray<DocumentLike>;
  readonly scps?: PolicyChain;
  readonly rcps?: Readonly<Record<string, PolicyChain>>;
  readonly resources?: ReadonlyArray<{
    readonly arn: string;
    readonly accountId: string;
    readonly policy?: DocumentLike | null;
  }>;
  readonly vpcEndpoints?: ReadonlyArray<{ readonly id: string; readonly policy?: DocumentLike | null }>;
  readonly requests: ReadonlyArray<{
    readonly action: string;
    readonly resource: string;
    readonly context?: Readonly<Record<string, ConditionValue>>;
  }>;
}

/** The statements of a document, whether IAM got one object or a list. */
export function statementsOf(doc: DocumentLike): ReadonlyArray<StatementLike> {
  const s = doc.Statement;
  return Array.isArray(s) ? (s as ReadonlyArray<StatementLike>) : [s as StatementLike];
}

// Compile-time proof that both the parsed snapshot and the project's policy builders fit.
type Assert<T extends true> = T;
export type _SnapshotFits = Assert<AuthorizationSnapshot extends SnapshotLike ? true : false>;
export type _DocumentFits = Assert<PolicyDocument extends DocumentLike ? true : false>;
