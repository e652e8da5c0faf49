import type { Decision, EvaluationResult, SnapshotLike, StatementLike } from '../../../policies/evaluation';
import { evaluate } from '../../../policies/evaluation';

/** The accounts, role and session the golden cases use (AWS documentation's example account ids). */
export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/web-role`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/web-role/i-0aaa1111aaaa1111a`;
export const BUCKET = 'arn:aws:s3:::data-bucket';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const doc = (...Statement: StatementLike[]) => ({ Version: '2012-10-17', Statement });
export const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementLike> = {},
): StatementLike => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
export const deny = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementLike> = {},
): StatementLike => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});

type Parts = Omit<SnapshotLike, 'principal' | 'requests'> & {
  principal?: Partial<SnapshotLike['principal']>;
  identity?: StatementLike[];
};

/** A snapshot of the web-role session with the given parts; `identity` is one identity policy "app". */
export function snapshot(parts: Parts, requests: SnapshotLike['requests']): SnapshotLike {
  const { identity, principal, ...rest } = parts;
  return {
    principal: { arn: SESSION_ARN, accountId: ACCOUNT, roleArn: ROLE_ARN, tags: {}, ...principal },
    ...(identity !== undefined ? { identityPolicies: [{ name: 'app', document: doc(...identity) }] } : {}),
    ...rest,
    requests,
  };
}

/** The single result of a one-request snapshot. */
export function decideOne(
  parts: Parts,
  action: string,
  resource: string,
  context?: Record<string, string | boolean | number | ReadonlyArray<string>>,
): EvaluationResult {
  const [r] = evaluate(snapshot(parts, [{ action, resource, ...(context ? { context } : {}) }]));
  if (r === undefined) throw new Error('no result');
  return r;
}

export interface GoldenCase {
  readonly name: string;
  /** The AWS documentation page the expected decision comes from. */
  readonly source: string;
  readonly parts: Parts;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | boolean | number | ReadonlyArray<string>>;
  readonly expected: Decision;
  /** When given, the policies of the deciding statements, in order. */
  readonly decidedBy?: ReadonlyArray<string>;
}

/** Runs a golden table: each case's decision (and deciding policies when given). */
export function runGolden(cases: ReadonlyArray<GoldenCase>): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = decideOne(c.parts, c.action, c.resource, c.context);
    expect(r.decision).toBe(c.expected);
    if (c.decidedBy !== undefined) expect(r.decidedBy.map((d) => d.policy)).toEqual(c.decidedBy);
  });
}
