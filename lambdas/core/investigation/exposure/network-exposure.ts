import {
  DescribeAddressesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type Instance,
  type IpPermission,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { reasonOf } from '../../errors';
import type { ExposureFacts } from './exposure-facts';
import type { RecordedEni } from './pre-isolation';

type PublicAddress = ExposureFacts['publicAddresses'][number];
type OpenRule = ExposureFacts['openIngress'][number];

/**
 * IPv6 addresses EC2 assigns are global unicast addresses, reachable from the internet whenever a route
 * and the security groups allow; unique-local (fc00::/7) and link-local (fe80::/10) ones never are.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html
 */
const isGlobalIpv6 = (a: string) => !/^f[cd]/i.test(a) && !/^fe[89ab]/i.test(a);

/**
 * Public addresses of the instance's interfaces. IPv4: the association of each private address
 * (DescribeInstances), an Elastic IP when DescribeAddresses lists it for the instance. Isolation never
 * releases them, but a stopped instance loses its auto-assigned public IPv4, so a stopped instance
 * without one is an unknown, not a "none". IPv6: from the interfaces recorded before the cut.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses
 */
export async function publicAddresses(
  ec2: EC2Client,
  instance: Instance,
  recorded: ReadonlyArray<RecordedEni>,
  unknowns: string[],
): Promise<PublicAddress[]> {
  const out: PublicAddress[] = [];
  let elastic = new Set<string>();
  try {
    const res = await ec2.send(
      new DescribeAddressesCommand({
        Filters: [{ Name: 'instance-id', Values: [instance.InstanceId ?? ''] }],
      }),
    );
    elastic = new Set((res.Addresses ?? []).map((a) => a.PublicIp ?? '').filter(Boolean));
  } catch (err) {
    unknowns.push(`elastic IP addresses: ${reasonOf(err)}`);
  }
  for (const n of instance.NetworkInterfaces ?? []) {
    const eniId = n.NetworkInterfaceId ?? '';
    const ips = new Set(
      [n.Association?.PublicIp, ...(n.PrivateIpAddresses ?? []).map((p) => p.Association?.PublicIp)].filter(
        (ip): ip is string => ip !== undefined && ip !== '',
      ),
    );
    for (const address of ips) out.push({ address, kind: elastic.has(address) ? 'elastic' : 'ipv4', eniId });
  }
  for (const e of recorded)
    for (const address of e.ipv6.filter(isGlobalIpv6)) out.push({ address, kind: 'ipv6', eniId: e.eniId });
  const state = instance.State?.Name;
  if (!out.some((a) => a.kind !== 'ipv6') && (state === 'stopped' || state === 'stopping'))
    unknowns.push(
      `public IPv4: the instance is ${state}; an auto-assigned public IPv4 address is released on stop and cannot be read back`,
    );
  return out;
}

/** Ingress rules of one group open to the whole IPv4 or IPv6 internet. Protocol -1 is every protocol. */
export function openRules(groupId: string, perms: ReadonlyArray<IpPermission>): OpenRule[] {
  return perms.flatMap((p) => {
    const cidrs = [
      ...(p.IpRanges ?? []).map((r) => r.CidrIp).filter((c) => c === '0.0.0.0/0'),
      ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6).filter((c) => c === '::/0'),
    ];
    const all = p.IpProtocol === '-1';
    return cidrs.map((cidr) => ({
      groupId,
      protocol: all ? 'all' : (p.IpProtocol ?? 'unknown'),
      fromPort: all ? null : (p.FromPort ?? null),
      toPort: all ? null : (p.ToPort ?? null),
      cidr: cidr ?? '',
    }));
  });
}

/**
 * The original groups' rules as they are now: Sequester never edits them (it swaps the interfaces to
 * its own groups), so they are the rules at detection unless someone changed them since.
 */
export async function openIngress(ec2: EC2Client, groupIds: ReadonlyArray<string>): Promise<OpenRule[]> {
  if (groupIds.length === 0) return [];
  const res = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...groupIds] }));
  return (res.SecurityGroups ?? []).flatMap((g) => openRules(g.GroupId ?? '', g.IpPermissions ?? []));
}

/** A table routes to the internet when an active route targets an internet gateway. */
const routesToIgw = (t: RouteTable | undefined) =>
  (t?.Routes ?? []).some((r) => r.GatewayId?.startsWith('igw-') === true && r.State !== 'blackhole');

/**
 * Whether a subnet of the instance routes to an internet gateway: its explicitly associated route table,
 * else the VPC's main table ("a subnet that's not explicitly associated with any route table is
 * implicitly associated with the main route table"). Isolation changes no route.
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html#RouteTables
 */
export async function internetRoute(
  ec2: EC2Client,
  vpcId: string,
  subnetIds: ReadonlyArray<string>,
): Promise<'yes' | 'no'> {
  const res = await ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const tables = res.RouteTables ?? [];
  const main = tables.find((t) => (t.Associations ?? []).some((a) => a.Main === true));
  const tableOf = (subnet: string) =>
    tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet)) ?? main;
  return subnetIds.some((s) => routesToIgw(tableOf(s))) ? 'yes' : 'no';
}
