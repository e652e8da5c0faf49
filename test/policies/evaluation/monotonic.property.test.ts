import fc from 'fast-check';
import {
  type DocumentLike,
  type EvaluationResult,
  evaluate,
  type SnapshotLike,
  type StatementLike,
} from '../../../policies/evaluation';
import { ACCOUNT, BUCKET, KEY_ARN, OTHER, ROLE_ARN, SESSION_ARN } from './golden-support';

/**
 * Two properties every correct evaluator has (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html:
 * "an explicit deny overrides an explicit allow", and nothing is allowed unless some Allow allows it):
 * adding a Deny statement never turns a decision into Allowed, and neither does removing an Allow.
 */
const ACTIONS = ['s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'ec2:DescribeInstances', 'sts:AssumeRole'];
const RESOURCES = [`${BUCKET}/a.txt`, BUCKET, KEY_ARN, '*', `arn:aws:s3:::other-bucket/x`];
const actionPattern = fc.constantFrom(
  '*',
  's3:*',
  's3:Get*',
  'kms:*',
  'ec2:Describe*',
  's3:GetObject',
  'kms:Decrypt',
);
const resourcePattern = fc.constantFrom(
  '*',
  `${BUCKET}/*`,
  BUCKET,
  KEY_ARN,
  'arn:aws:s3:::*',
  `${BUCKET}/\${aws:username}`,
);
const principal = fc.constantFrom<StatementLike['Principal']>(
  '*',
  { AWS: SESSION_ARN },
  { AWS: ROLE_ARN },
  { AWS: ACCOUNT },
  { AWS: `arn:aws:iam::${OTHER}:root` },
);
const condition = fc.constantFrom<StatementLike['Condition'] | undefined>(
  undefined,
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringNotEquals: { 'aws:username': 'alice' } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { Null: { 'aws:TokenIssueTime': 'true' } },
);

const statement = (effect: 'Allow' | 'Deny', withPrincipal: boolean): fc.Arbitrary<StatementLike> =>
  fc
    .record({
      negated: fc.boolean(),
      actions: fc.array(actionPattern, { minLength: 1, maxLength: 2 }),
      resources: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
      principal,
      condition,
    })
    .map(({ negated, actions, resources, principal: p, condition: c }) => ({
      Effect: effect,
      ...(negated ? { NotAction: actions } : { Action: actions }),
      Resource: resources,
      ...(withPrincipal ? { Principal: p } : {}),
      ...(c !== undefined ? { Condition: c } : {}),
    }));
const anyStatement = (withPrincipal: boolean) =>
  fc.oneof(
    { arbitrary: statement('Allow', withPrincipal), weight: 4 },
    { arbitrary: statement('Deny', withPrincipal), weight: 1 },
  );
/** A guardrail chain: often none, else one or two levels. */
const chain = (withPrincipal: boolean) =>
  fc.oneof(
    { arbitrary: fc.constant([]), weight: 2 },
    {
      arbitrary: fc.array(fc.array(document(withPrincipal), { minLength: 1, maxLength: 2 }), {
        minLength: 1,
        maxLength: 2,
      }),
      weight: 1,
    },
  );
const document = (withPrincipal: boolean): fc.Arbitrary<DocumentLike> =>
  fc
    .array(anyStatement(withPrincipal), { maxLength: 3 })
    .map((s) => ({ Version: '2012-10-17', Statement: s }));

const snapshotArb: fc.Arbitrary<SnapshotLike> = fc.record({
  principal: fc.constant({ arn: SESSION_ARN, accountId: ACCOUNT, roleArn: ROLE_ARN, tags: { team: 'red' } }),
  identityPolicies: fc
    .array(document(false), { minLength: 1, maxLength: 2 })
    .map((docs) => docs.map((d, i) => ({ name: `p${i}`, document: d }))),
  permissionsBoundary: fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: document(false), weight: 1 },
  ),
  sessionPolicies: fc.oneof(
    { arbitrary: fc.constant([]), weight: 3 },
    { arbitrary: fc.array(document(false), { minLength: 1, maxLength: 1 }), weight: 1 },
  ),
  scps: chain(false),
  rcps: chain(true).map(
    (c): Record<string, ReadonlyArray<ReadonlyArray<DocumentLike>>> =>
      c.length === 0 ? {} : { [ACCOUNT]: c },
  ),
  resources: fc.array(
    fc.record({
      arn: fc.constantFrom(BUCKET, KEY_ARN),
      accountId: fc.constantFrom(ACCOUNT, OTHER),
      policy: fc.option(document(true), { nil: null }),
    }),
    { maxLength: 2 },
  ),
  requests: fc.array(
    fc.record({
      action: fc.constantFrom(...ACTIONS),
      resource: fc.constantFrom(...RESOURCES),
      context: fc.constantFrom<Record<string, string | string[]>>(
        {},
        { 'aws:SourceIp': '203.0.113.7', 'aws:username': 'alice' },
        { 'aws:TagKeys': ['a', 'b'] },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** Every policy document of a snapshot, with a function rebuilding the snapshot around a replacement. */
function documentSlots(s: SnapshotLike): Array<(f: (d: DocumentLike) => DocumentLike) => SnapshotLike> {
  const slots: Array<(f: (d: DocumentLike) => DocumentLike) => SnapshotLike> = [];
  (s.identityPolicies ?? []).forEach((_p, i) => {
    slots.push((f) => ({
      ...s,
      identityPolicies: (s.identityPolicies ?? []).map((q, j) =>
        j === i ? { ...q, document: f(q.document) } : q,
      ),
    }));
  });
  if (s.permissionsBoundary) {
    const b = s.permissionsBoundary;
    slots.push((f) => ({ ...s, permissionsBoundary: f(b) }));
  }
  (s.sessionPolicies ?? []).forEach((_d, i) => {
    slots.push((f) => ({
      ...s,
      sessionPolicies: (s.sessionPolicies ?? []).map((d, j) => (j === i ? f(d) : d)),
    }));
  });
  (s.scps ?? []).forEach((_level, l) => {
    slots.push((f) => ({ ...s, scps: (s.scps ?? []).map((level, m) => (m === l ? level.map(f) : level)) }));
  });
  for (const account of Object.keys(s.rcps ?? {})) {
    const chain = s.rcps?.[account] ?? [];
    chain.forEach((_level, l) => {
      slots.push((f) => ({
        ...s,
        rcps: { ...s.rcps, [account]: chain.map((level, m) => (m === l ? level.map(f) : level)) },
      }));
    });
  }
  (s.resources ?? []).forEach((r, i) => {
    const policy = r.policy;
    if (policy)
      slots.push((f) => ({
        ...s,
        resources: (s.resources ?? []).map((q, j) => (j === i ? { ...q, policy: f(policy) } : q)),
      }));
  });
  return slots;
}

const list = (d: DocumentLike): ReadonlyArray<StatementLike> =>
  Array.isArray(d.Statement) ? (d.Statement as ReadonlyArray<StatementLike>) : [d.Statement as StatementLike];

/** No request is Allowed after the change that was not Allowed before. */
function noNewAllow(before: EvaluationResult[], after: EvaluationResult[]): void {
  after.forEach((r, i) => {
    if (r.decision === 'Allowed') expect(before[i]?.decision).toBe('Allowed');
  });
}

describe('evaluate: monotonicity properties', () => {
  it('adding a Deny statement never turns a decision into Allowed', () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat(), statement('Deny', true), (s, pick, extra) => {
        const slots = documentSlots(s);
        fc.pre(slots.length > 0);
        const slot = slots[pick % slots.length];
        if (slot === undefined) return;
        const changed = slot((d) => ({ ...d, Statement: [...list(d), extra] }));
        noNewAllow(evaluate(s), evaluate(changed));
      }),
      { numRuns: 400 },
    );
  });

  it('removing an Allow statement never turns a decision into Allowed', () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat(), fc.nat(), (s, pickDoc, pickStatement) => {
        const slots = documentSlots(s);
        fc.pre(slots.length > 0);
        const slot = slots[pickDoc % slots.length];
        if (slot === undefined) return;
        const changed = slot((d) => {
          const statements = list(d);
          const allows = statements.map((st, i) => (st.Effect === 'Allow' ? i : -1)).filter((i) => i >= 0);
          const drop = allows[pickStatement % Math.max(allows.length, 1)];
          return { ...d, Statement: statements.filter((_st, i) => i !== drop) };
        });
        noNewAllow(evaluate(s), evaluate(changed));
      }),
      { numRuns: 400 },
    );
  });

  it('the generated snapshots reach every decision (the properties are not vacuous)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(snapshotArb, (s) => {
        for (const r of evaluate(s)) seen.set(r.decision, (seen.get(r.decision) ?? 0) + 1);
      }),
      { numRuns: 500 },
    );
    expect([...seen.keys()].sort()).toEqual(['Allowed', 'ExplicitDeny', 'ImplicitDeny']);
    expect(seen.get('Allowed')).toBeGreaterThan(15);
  });
});
