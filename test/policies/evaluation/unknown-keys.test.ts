import fc from 'fast-check';
import { evaluate, evaluateWithUnknownKeys, type SnapshotLike } from '../../../policies/evaluation';
import { ACCOUNT, allow, BUCKET, deny, doc, OTHER, snapshot } from './golden-support';

const OBJECT = `${BUCKET}/a.txt`;
const unknownIs =
  (...keys: string[]) =>
  (key: string) =>
    keys.includes(key);
const one = (s: SnapshotLike, isUnknown: (k: string) => boolean) => {
  const [r] = evaluateWithUnknownKeys(s, isUnknown);
  if (r === undefined) throw new Error('no result');
  return r;
};
const get = (context?: Record<string, string>) => [
  { action: 's3:GetObject', resource: OBJECT, ...(context ? { context } : {}) },
];
const ipAllow = allow('s3:GetObject', `${BUCKET}/*`, {
  Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
});

describe('evaluation with unknown condition keys', () => {
  it('an Allow conditioned on an unknown key makes the decision Conditional, naming the statement and key', () => {
    const r = one(snapshot({ identity: [ipAllow] }, get()), unknownIs('aws:sourceip'));
    expect(r.decision).toBe('Conditional');
    expect(r.decidedBy).toEqual([{ policy: 'identity:app', statement: 0 }]);
    expect(r.unknownKeys).toEqual(['aws:sourceip']);
  });

  it('the same Allow with the key known is decided as evaluate decides it', () => {
    const s = snapshot({ identity: [ipAllow] }, get({ 'aws:SourceIp': '198.51.100.7' }));
    expect(one(s, () => false).decision).toBe('Allowed');
    expect(evaluate(s)[0]?.decision).toBe('Allowed');
  });

  it('a known condition that fails decides the statement whatever the unknown key is', () => {
    const both = allow('s3:GetObject', `${BUCKET}/*`, {
      Condition: {
        IpAddress: { 'aws:SourceIp': '198.51.100.0/24' },
        StringEquals: { 'aws:PrincipalTag/team': 'blue' },
      },
    });
    expect(one(snapshot({ identity: [both] }, get()), unknownIs('aws:sourceip')).decision).toBe(
      'ImplicitDeny',
    );
  });

  it('an unconditional Allow wins over an Allow on an unknown key: Allowed, not Conditional', () => {
    const s = snapshot({ identity: [ipAllow, allow('s3:GetObject', `${BUCKET}/*`)] }, get());
    const r = one(s, unknownIs('aws:sourceip'));
    expect(r.decision).toBe('Allowed');
    expect(r.decidedBy).toEqual([{ policy: 'identity:app', statement: 1 }]);
  });

  it('a Deny conditioned on an unknown key makes an allowed request Conditional', () => {
    const perimeter = deny('s3:*', '*', {
      Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
    });
    const s = snapshot({ identity: [allow('s3:GetObject', `${BUCKET}/*`), perimeter] }, get());
    const r = one(s, unknownIs('aws:sourceip'));
    expect(r.decision).toBe('Conditional');
    expect(r.decidedBy).toEqual([
      { policy: 'identity:app', statement: 0 },
      { policy: 'identity:app', statement: 1 },
    ]);
  });

  it('a request denied without the unknown statement stays denied (no Allow to make conditional)', () => {
    const s = snapshot(
      { identity: [deny('s3:*', '*', { Condition: { StringLike: { 's3:prefix': 'x/*' } } })] },
      get(),
    );
    expect(one(s, unknownIs('s3:prefix')).decision).toBe('ImplicitDeny');
  });

  it('an unknown policy variable in a Resource makes the grant Conditional', () => {
    const home = allow('s3:GetObject', `${BUCKET}/\${aws:userid}/*`);
    const s = snapshot({ identity: [home] }, [
      { action: 's3:GetObject', resource: `${BUCKET}/AROAEXAMPLE:i-1/x` },
    ]);
    expect(one(s, unknownIs('aws:userid')).decision).toBe('Conditional');
  });

  it('an unknown key in a resource policy across accounts is Conditional too', () => {
    const bucketPolicy = doc(
      allow('s3:GetObject', `${BUCKET}/*`, {
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Condition: { StringEquals: { 's3:ExistingObjectTag/class': 'public' } },
      }),
    );
    const s = snapshot(
      {
        identity: [allow('s3:GetObject')],
        resources: [{ arn: BUCKET, accountId: OTHER, policy: bucketPolicy }],
      },
      get(),
    );
    expect(one(s, unknownIs('s3:existingobjecttag/class')).decision).toBe('Conditional');
    expect(one(s, () => false).decision).toBe('ImplicitDeny');
  });

  it('keys unknown only for some requests affect only those requests', () => {
    const s = snapshot({ identity: [ipAllow] }, [...get(), ...get({ 'aws:SourceIp': '198.51.100.9' })]);
    const results = evaluateWithUnknownKeys(s, (k, i) => k === 'aws:sourceip' && i === 0);
    expect(results.map((r) => r.decision)).toEqual(['Conditional', 'Allowed']);
  });

  it('a decision is Conditional only where some value of the unknown key allows and another denies', () => {
    // Property: for every concrete address, the evaluator's decision is one the unknown-key reading allows.
    const perimeter = deny('s3:*', '*', {
      Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
    });
    const policies = { identity: [ipAllow, perimeter] };
    const reading = one(snapshot(policies, get()), unknownIs('aws:sourceip')).decision;
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const concrete = evaluate(snapshot(policies, get({ 'aws:SourceIp': ip })))[0]?.decision;
        return reading === 'Conditional' || reading === concrete;
      }),
    );
    expect(reading).toBe('Conditional');
  });
});
