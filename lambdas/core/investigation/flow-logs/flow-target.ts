import { DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { reasonOf } from '../../errors';
import type { QuarantineRecord } from '../../ledger/record';
import { natGatewaysOnce } from '../nat-gateways';
import type { FlowTarget } from './collect-flow-volume';

interface RecordedEni {
  readonly eniId?: string;
  readonly subnetId?: string;
  readonly privateIpv4?: ReadonlyArray<string>;
  readonly ipv6?: ReadonlyArray<string>;
}

/**
 * The VPC's address ranges (IPv4 associations and IPv6 blocks): traffic to them stays inside the VPC.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Vpc.html
 */
async function vpcCidrs(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const out = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const vpc = out.Vpcs?.[0];
  const v4 = (vpc?.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock);
  const v6 = (vpc?.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock);
  return [...new Set([vpc?.CidrBlock, ...v4, ...v6])].filter((c): c is string => c !== undefined && c !== '');
}

/**
 * The instance's network as isolation recorded it before the cut (`preState.network`: the VPC, each
 * ENI's id, subnet and private addresses), completed with what the record does not hold: the VPC's
 * ranges and its NAT gateways' interfaces, read at investigation time. A read that fails is a gap with
 * its reason, never a failure: without the VPC's ranges intra-VPC traffic counts as peered/transit
 * (private space), without the NAT interfaces NAT-attributed traffic is unknown (`natEniIds` absent).
 * AWS ranges (ip-ranges.json) are not loaded: an AWS service is recognised by version 5's
 * `pkt-dst-aws-service` only, else its address counts as internet.
 */
export async function flowTarget(
  ec2: EC2Client,
  r: QuarantineRecord,
  natGateways = natGatewaysOnce(ec2),
): Promise<{ target: FlowTarget; gaps: string[] } | { unavailable: string }> {
  const network = r.preState.network as { vpcId?: string; enis?: RecordedEni[] } | undefined;
  const enis = network?.enis ?? [];
  const vpcId = network?.vpcId ?? '';
  if (vpcId === '' || enis.length === 0)
    return { unavailable: 'the quarantine record holds no VPC or network interface of the instance' };
  const gaps: string[] = [];
  const [cidrs, nat] = await Promise.all([
    vpcCidrs(ec2, vpcId).catch((err: unknown) => {
      gaps.push(`VPC ranges unknown (intra-VPC traffic counts as peered/transit): ${reasonOf(err)}`);
      return [] as string[];
    }),
    natGateways(vpcId).then(
      (g) => [...g.eniIds],
      (err: unknown) => {
        gaps.push(`NAT gateways unknown (traffic through them is not attributed): ${reasonOf(err)}`);
        return undefined;
      },
    ),
  ]);
  const facts = (r.preState.instance ?? {}) as { accountId?: string };
  return {
    target: {
      accountId: facts.accountId ?? r.instance.accountId ?? '',
      region: r.instance.region,
      vpcId,
      subnetIds: [...new Set(enis.map((e) => e.subnetId ?? '').filter((s) => s !== ''))],
      eniIds: enis.map((e) => e.eniId ?? '').filter((e) => e !== ''),
      ...(nat === undefined ? {} : { natEniIds: nat }),
      instanceAddresses: [...new Set(enis.flatMap((e) => [...(e.privateIpv4 ?? []), ...(e.ipv6 ?? [])]))],
      vpcCidrs: cidrs,
      peeredCidrs: [],
      awsCidrs: [],
    },
    gaps,
  };
}
