import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import { existingEntries, type NaclEntry } from './nacl-deny';
import { type QuarantineDeny, quarantineDenyMismatches } from './quarantined-policy';

export interface IsolationPlanFacts {
  readonly instanceId: string;
  readonly vpcId: string;
  readonly eniIds: ReadonlyArray<string>;
  readonly quarantineGroupId: string;
  readonly forensicCidrs: ReadonlyArray<string>;
  readonly naclEntries: ReadonlyArray<NaclEntry>;
  readonly denyPolicy?: QuarantineDeny;
}

export interface Verification {
  readonly verified: boolean;
  readonly mismatches: ReadonlyArray<string>;
}

/**
 * Re-reads what isolation changed and compares it with the plan. "Isolated, verified" is only recorded
 * when AWS reports exactly the intended state; any difference is an alarm in the ledger.
 */
export async function verifyIsolation(
  c: { ec2: EC2Client; iam: IAMClient },
  f: IsolationPlanFacts,
): Promise<Verification> {
  const mismatches: string[] = [];
  const [enis, group, assoc, nacl, policy] = await Promise.all([
    c.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [...f.eniIds] })),
    c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [f.quarantineGroupId] })),
    c.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [f.instanceId] },
          { Name: 'state', Values: ['associated', 'associating'] },
        ],
      }),
    ),
    existingEntries(c.ec2, f.vpcId, [...new Set(f.naclEntries.map((e) => e.cidr))]),
    f.denyPolicy === undefined ? Promise.resolve([]) : quarantineDenyMismatches(c.iam, f.denyPolicy),
  ]);
  for (const eni of enis.NetworkInterfaces ?? []) {
    const ids = (eni.Groups ?? []).map((g) => g.GroupId);
    if (ids.length !== 1 || ids[0] !== f.quarantineGroupId) {
      mismatches.push(
        `${eni.NetworkInterfaceId} has groups ${ids.join(',')}, expected ${f.quarantineGroupId}`,
      );
    }
  }
  const sg = group.SecurityGroups?.[0];
  if ((sg?.IpPermissionsEgress ?? []).length > 0) mismatches.push(`${f.quarantineGroupId} allows egress`);
  for (const p of sg?.IpPermissions ?? []) {
    const sources = [
      ...(p.IpRanges ?? []).map((r) => r.CidrIp),
      ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
    ];
    const forensic = p.IpProtocol === 'tcp' && p.FromPort === 22 && p.ToPort === 22;
    if (
      !forensic ||
      (p.UserIdGroupPairs ?? []).length > 0 ||
      sources.some((s) => !f.forensicCidrs.includes(s ?? ''))
    ) {
      mismatches.push(`${f.quarantineGroupId} allows ingress ${p.IpProtocol} from ${sources.join(',')}`);
    }
  }
  if ((assoc.IamInstanceProfileAssociations ?? []).length > 0)
    mismatches.push('an instance profile is still associated');
  for (const e of f.naclEntries) {
    const found = nacl.some(
      (n) => n.networkAclId === e.networkAclId && n.egress === e.egress && n.cidr === e.cidr,
    );
    if (!found)
      mismatches.push(`NACL ${e.networkAclId} lacks deny ${e.egress ? 'egress' : 'ingress'} ${e.cidr}`);
  }
  mismatches.push(...policy);
  return { verified: mismatches.length === 0, mismatches };
}
