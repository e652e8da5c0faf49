import { loadProgram, type Recorded, stringsIn } from './pulumi-mocks';

/** The member stack in GovCloud: the MemberAccess trust and policy name only aws-us-gov ARNs. */
describe('Program: member stack in the aws-us-gov partition', () => {
  let rs: Recorded[];
  beforeAll(async () => {
    rs = await loadProgram(
      { stackKind: 'member', responderAccountId: '999988887777' },
      { partition: 'aws-us-gov' },
    );
  });

  it('writes every ARN of its trust and policy in aws-us-gov', () => {
    const all = rs.flatMap((r) => stringsIn([r.inputs.policy, r.inputs.assumeRolePolicy]));
    expect(all.filter((s) => s.startsWith('arn:aws-us-gov:')).length).toBeGreaterThan(5);
    expect(all.filter((s) => /(^|[^a-z-])arn:aws:/.test(s))).toEqual([]);
  });
});
