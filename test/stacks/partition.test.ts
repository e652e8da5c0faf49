import { loadProgram, type Recorded, stringsIn as strings } from './pulumi-mocks';

/**
 * The program in another partition (GovCloud, as getPartition answers there): every ARN the program
 * writes, in policies, trust policies and any other input, must be built from that partition.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
describe('Program: responder stack in the aws-us-gov partition', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram({ memberAccountIds: '["210987654321"]' }, { partition: 'aws-us-gov' });
  });

  it('declares policy documents whose ARNs are all in aws-us-gov', () => {
    const policies = rs.filter((r) =>
      ['policy', 'assumeRolePolicy'].some((k) => typeof r.inputs[k] === 'string'),
    );
    expect(policies.length).toBeGreaterThan(10);
    const arns = policies.flatMap((r) => strings([r.inputs.policy, r.inputs.assumeRolePolicy]));
    expect(arns.filter((s) => s.startsWith('arn:aws-us-gov:')).length).toBeGreaterThan(20);
    const wrong = policies.flatMap((r) =>
      strings([r.inputs.policy, r.inputs.assumeRolePolicy])
        .filter((s) => s.startsWith('arn:aws:'))
        .map((s) => `${r.name}: ${s}`),
    );
    expect(wrong).toEqual([]);
  });

  it('writes no arn:aws: ARN in any other input either', () => {
    const wrong = rs.flatMap((r) =>
      strings(r.inputs)
        .filter((s) => /(^|[^a-z-])arn:aws:/.test(s))
        .map((s) => `${r.type} ${r.name}: ${s}`),
    );
    expect(wrong).toEqual([]);
  });
});
