import type { NetworkAcl } from '@aws-sdk/client-ec2';
import { cidrContains } from './cidr';
import type { NaclEntry } from './nacl-deny';

/*
 * Network ACL rule order. "Rules are evaluated starting with the lowest numbered rule. As soon as a rule
 * matches traffic, it's applied regardless of any higher-numbered rule that might contradict it": a deny
 * acts only when no allow with a lower number matches first.
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */

/** Highest rule number a caller may use; 32767 is the ACL's own final `*` rule. */
export const MAX_RULE = 32766;

/** The lowest allow rule number of one direction of an ACL (beyond every usable number when none). */
export function firstAllow(acl: NetworkAcl, egress: boolean): number {
  const allows = (acl.Entries ?? [])
    .filter((e) => e.Egress === egress && e.RuleAction === 'allow')
    .map((e) => e.RuleNumber ?? MAX_RULE + 1);
  return Math.min(MAX_RULE + 1, ...allows);
}

/**
 * For verification: each recorded deny that an allow rule with a lower number matches first (an allow
 * whose block contains the denied address), described. Such a deny never acts.
 */
export function denyOrderProblems(
  acls: ReadonlyArray<NetworkAcl>,
  entries: ReadonlyArray<NaclEntry>,
): string[] {
  const problems: string[] = [];
  for (const e of entries) {
    const acl = acls.find((a) => a.NetworkAclId === e.networkAclId);
    const before = (acl?.Entries ?? [])
      .filter(
        (r) =>
          r.Egress === e.egress &&
          r.RuleAction === 'allow' &&
          (r.RuleNumber ?? MAX_RULE + 1) < e.ruleNumber &&
          cidrContains(r.CidrBlock ?? r.Ipv6CidrBlock ?? '', e.cidr),
      )
      .sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0))[0];
    if (before !== undefined)
      problems.push(
        `NACL ${e.networkAclId} deny ${e.egress ? 'egress' : 'ingress'} ${e.cidr} at rule ${e.ruleNumber} ` +
          `comes after allow rule ${before.RuleNumber} (${before.CidrBlock ?? before.Ipv6CidrBlock}), which matches first`,
      );
  }
  return problems;
}
