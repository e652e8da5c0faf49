import { BlockList, isIP } from 'node:net';

/** Where bytes went: the internet, an AWS service, the instance's own VPC, or a peered/transit network. */
export type DestinationClass = 'internet' | 'aws-service' | 'vpc' | 'peered-transit';

function blockListOf(cidrs: ReadonlyArray<string>): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [net, bits] = c.split('/');
    const type = isIP(net ?? '') === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(net ?? '', Number(bits), type);
  }
  return list;
}

// RFC 1918 and RFC 4193: private space outside the VPC is reachable only over peering, a transit gateway or VPN.
const PRIVATE = blockListOf(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);

/** The networks an address is classified against: inputs recorded at quarantine time. */
export interface Networks {
  /** The instance's VPC CIDR blocks (IPv4 and IPv6). */
  readonly vpcCidrs: ReadonlyArray<string>;
  /** Peered VPCs, transit gateway attachments, VPN/Direct Connect networks. */
  readonly peeredCidrs: ReadonlyArray<string>;
  /**
   * AWS public ranges (ip-ranges.json prefixes, e.g. service AMAZON minus EC2 for the region).
   * https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html
   */
  readonly awsCidrs: ReadonlyArray<string>;
}

/** Classifies addresses; the lists are built once per analysis. */
export function classifier(n: Networks): (address: string, awsServiceField?: string) => DestinationClass {
  const vpc = blockListOf(n.vpcCidrs);
  const peered = blockListOf(n.peeredCidrs);
  const aws = blockListOf(n.awsCidrs);
  return (address, awsServiceField) => {
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (vpc.check(address, type)) return 'vpc';
    if (peered.check(address, type)) return 'peered-transit';
    // Version 5's pkt-dst-aws-service names the service when the destination is one (S3, DynamoDB...).
    if ((awsServiceField !== undefined && awsServiceField !== '') || aws.check(address, type))
      return 'aws-service';
    if (PRIVATE.check(address, type)) return 'peered-transit';
    return 'internet';
  };
}
