/** IAM policy document types shared by every policy builder in this folder. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | ReadonlyArray<string>;
  readonly NotAction?: string | ReadonlyArray<string>;
  readonly Resource?: string | ReadonlyArray<string>;
  readonly NotResource?: string | ReadonlyArray<string>;
  readonly Principal?: '*' | Readonly<Record<string, string | ReadonlyArray<string>>>;
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | boolean | ReadonlyArray<string>>>>
  >;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<PolicyStatement>;
}

/**
 * The JSON text of a policy document as IAM returns it: URL-encoded (RFC 3986) from GetRolePolicy,
 * GetPolicyVersion and ListRoles; some emulators return plain JSON, which is kept as it is.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
export const policyDocumentText = (raw: string): string =>
  raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
