import {
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  type EC2Client,
  type NetworkAcl,
} from '@aws-sdk/client-ec2';
import { awsErrorName } from '../errors';
import { requestIdsOf } from '../request-ids';
import type { EniState } from './target-instance';

export interface NaclEntry {
  readonly networkAclId: string;
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly cidr: string;
}

export interface NaclDenyResult {
  readonly entries: ReadonlyArray<NaclEntry>;
  /** NACLs that had no room (rule quota reached): reported, not fatal. */
  readonly full: ReadonlyArray<string>;
  readonly requestIds: ReadonlyArray<string>;
}

/**
 * Why the deny entries are not added for this request, or undefined when they are.
 *
 * Forensic access and the deny entries exclude each other: a forensic workstation in another subnet
 * sends through its own subnet's ACL, whose outbound deny for the instance's address would drop the
 * SSH the quarantine group allows (NACLs are stateless, evaluated in every subnet crossed). With
 * forensic CIDRs the security group cut stands alone, and the ledger says so.
 */
export function naclDenySkipReason(o: {
  readonly naclDeny: boolean;
  readonly forensicCidrs: ReadonlyArray<string>;
}): string | undefined {
  if (!o.naclDeny) return 'disabled by options';
  if (o.forensicCidrs.length > 0)
    return 'forensic access requested: network ACL deny entries would block SSH from the forensic subnets';
  return undefined;
}

/**
 * Denies the instance's addresses in every network ACL of its VPC, both directions.
 *
 * Some flows stay tracked whatever the security group says (ICMP; flows through NAT gateways, NLBs,
 * PrivateLink, Transit Gateway), so a group swap cannot cut them. NACLs are stateless and match the
 * remote address: an inbound rule matches the source, an outbound rule the destination. So the rule
 * that stops traffic to and from the instance belongs in the ACLs of the *other* subnets that traffic
 * crosses (the NAT gateway's, the NLB's, the TGW attachment's), not in the instance's own subnet ACL,
 * where its own address never appears as the remote side. All ACLs of the VPC are covered.
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
export async function denyInNetworkAcls(
  ec2: EC2Client,
  vpcId: string,
  enis: ReadonlyArray<EniState>,
): Promise<NaclDenyResult> {
  const cidrs = enis.flatMap((e) => [
    ...e.privateIpv4.map((ip) => `${ip}/32`),
    ...e.ipv6.map((ip) => `${ip}/128`),
  ]);
  const done = new Map<string, NaclEntry>();
  const full = new Set<string>();
  const requestIds: string[] = [];
  const create = async (wanted: NaclEntry): Promise<boolean> => {
    try {
      const r = await ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: wanted.networkAclId,
          RuleNumber: wanted.ruleNumber,
          Egress: wanted.egress,
          Protocol: '-1',
          RuleAction: 'deny',
          ...(wanted.cidr.includes(':') ? { Ipv6CidrBlock: wanted.cidr } : { CidrBlock: wanted.cidr }),
        }),
      );
      requestIds.push(...requestIdsOf(r));
      done.set(entryKey(wanted), wanted);
      return true;
    } catch (err) {
      const code = awsErrorName(err);
      if (code === 'NetworkAclEntryLimitExceeded') {
        full.add(wanted.networkAclId);
        return true;
      }
      // Another quarantine in this VPC took the same rule number: read again and retry.
      if (code === 'NetworkAclEntryAlreadyExists') return false;
      throw err;
    }
  };
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const acls =
      (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })))
        .NetworkAcls ?? [];
    for (const e of acls.flatMap((acl) => denyEntriesFor(acl, cidrs))) done.set(entryKey(e), e);
    // Rule numbers are chosen up front, so every entry of every ACL is created in one parallel round.
    const results = await Promise.all(acls.flatMap((acl) => missingEntries(acl, cidrs)).map(create));
    if (results.every(Boolean)) break;
  }
  return { entries: [...done.values()], full: [...full], requestIds };
}

const entryKey = (e: NaclEntry) => `${e.networkAclId}/${e.egress ? 'out' : 'in'}/${e.cidr}`;

/** The deny entries an ACL already has for these addresses. */
function denyEntriesFor(acl: NetworkAcl, cidrs: ReadonlyArray<string>): NaclEntry[] {
  return (acl.Entries ?? [])
    .filter((e) => e.RuleAction === 'deny' && cidrs.includes(e.CidrBlock ?? e.Ipv6CidrBlock ?? ''))
    .map((e) => ({
      networkAclId: acl.NetworkAclId ?? '',
      ruleNumber: e.RuleNumber ?? 0,
      egress: e.Egress ?? false,
      cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '',
    }));
}

/** The deny entries this ACL still lacks, numbered from the lowest free rule numbers (evaluated first). */
function missingEntries(acl: NetworkAcl, cidrs: ReadonlyArray<string>): NaclEntry[] {
  const id = acl.NetworkAclId ?? '';
  const result: NaclEntry[] = [];
  for (const egress of [false, true]) {
    const mine = acl.Entries?.filter((e) => e.Egress === egress) ?? [];
    const used = new Set(mine.map((e) => e.RuleNumber));
    let next = 1;
    for (const cidr of cidrs) {
      const has = mine.some(
        (e) => e.RuleAction === 'deny' && (e.CidrBlock === cidr || e.Ipv6CidrBlock === cidr),
      );
      if (has) continue;
      while (used.has(next)) next += 1;
      used.add(next);
      result.push({ networkAclId: id, ruleNumber: next, egress, cidr });
    }
  }
  return result;
}

/** The deny entries for these addresses as they exist now (what release must remove). */
export async function existingEntries(
  ec2: EC2Client,
  vpcId: string,
  cidrs: ReadonlyArray<string>,
): Promise<NaclEntry[]> {
  const acls =
    (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })))
      .NetworkAcls ?? [];
  return acls.flatMap((acl) => denyEntriesFor(acl, cidrs));
}

/** Release: removes exactly the entries isolation recorded. Already-removed entries are fine. */
export async function removeNaclEntries(ec2: EC2Client, entries: ReadonlyArray<NaclEntry>): Promise<void> {
  await Promise.all(
    entries.map(async (e) => {
      try {
        await ec2.send(
          new DeleteNetworkAclEntryCommand({
            NetworkAclId: e.networkAclId,
            RuleNumber: e.ruleNumber,
            Egress: e.egress,
          }),
        );
      } catch (err) {
        if (awsErrorName(err) !== 'InvalidNetworkAclEntry.NotFound') throw err;
      }
    }),
  );
}
