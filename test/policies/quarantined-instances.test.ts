import {
  arnsThatFit,
  listedInstances,
  MANAGED_POLICY_MAX_CHARS,
  policyChars,
  QUARANTINE_POLICY_NAME,
  quarantinedInstancesPolicy,
  quarantinePolicyArn,
} from '../../policies/quarantined-instances';

const arn = (i: number, region = 'ap-southeast-2') =>
  `arn:aws:ec2:${region}:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`;

describe('Module: policies/quarantined-instances.ts', () => {
  it('names one customer-managed policy per account under the /sequester/ path', () => {
    expect(quarantinePolicyArn('aws-us-gov', '210987654321')).toBe(
      `arn:aws-us-gov:iam::210987654321:policy/sequester/${QUARANTINE_POLICY_NAME}`,
    );
  });

  it('denies everything to the listed instances only, in one statement with a StringEquals list', () => {
    const doc = quarantinedInstancesPolicy([arn(1), arn(2)]);
    expect(doc.Statement).toEqual([
      {
        Sid: 'SequesterQuarantinedInstances',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'ec2:SourceInstanceARN': [arn(1), arn(2)] } },
      },
    ]);
  });

  it('sorts and deduplicates the list, so the same set always renders the same document', () => {
    expect(quarantinedInstancesPolicy([arn(2), arn(1), arn(2)])).toEqual(
      quarantinedInstancesPolicy([arn(1), arn(2)]),
    );
  });

  it('reads the list back from a document, and an emptied policy lists nothing and matches nothing', () => {
    expect(listedInstances(JSON.stringify(quarantinedInstancesPolicy([arn(3), arn(4)])))).toEqual([
      arn(3),
      arn(4),
    ]);
    const empty = quarantinedInstancesPolicy([]);
    expect(listedInstances(JSON.stringify(empty))).toEqual([]);
    // A value that is no ARN: ec2:SourceInstanceARN never equals it.
    expect(JSON.stringify(empty.Statement[0]?.Condition)).not.toMatch(/arn:/);
  });

  it('reads the URL-encoded documents IAM returns', () => {
    const encoded = encodeURIComponent(JSON.stringify(quarantinedInstancesPolicy([arn(5)])));
    expect(listedInstances(encoded)).toEqual([arn(5)]);
  });

  it('computes how many instance ARNs fit in the 6,144 managed-policy characters, exactly', () => {
    const n = arnsThatFit(arn(0));
    expect(n).toBeGreaterThan(80);
    const full = Array.from({ length: n }, (_, i) => arn(i));
    expect(policyChars(quarantinedInstancesPolicy(full))).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(policyChars(quarantinedInstancesPolicy([...full, arn(n)]))).toBeGreaterThan(
      MANAGED_POLICY_MAX_CHARS,
    );
  });

  it('counts characters as IAM does, without white space', () => {
    const doc = quarantinedInstancesPolicy([arn(1)]);
    expect(policyChars(doc)).toBe(JSON.stringify(doc).length);
    expect(policyChars(doc)).toBe(JSON.stringify(doc, null, 2).replace(/\s/g, '').length);
  });
});
