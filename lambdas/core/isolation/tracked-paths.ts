import {
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  type RouteTable,
} from '@aws-sdk/client-ec2';

/**
 * Interface types of the AWS-managed ENIs whose flows stay tracked after a security group change
 * ("Automatically tracked connections": NAT gateways, Network and Gateway Load Balancers, Network
 * Firewall and other GWLB endpoints, PrivateLink interface endpoints, Transit Gateway attachments, Global
 * Accelerator, Lambda Hyperplane ENIs).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#automatic-tracking
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html (InterfaceType)
 */
const TRACKED_PATH_TYPES: Readonly<Record<string, string>> = {
  natGateway: 'NAT gateway',
  nat_gateway: 'NAT gateway',
  network_load_balancer: 'Network Load Balancer node',
  gateway_load_balancer: 'Gateway Load Balancer node',
  gateway_load_balancer_endpoint: 'Gateway Load Balancer or Network Firewall endpoint',
  vpc_endpoint: 'PrivateLink interface endpoint',
  transit_gateway: 'Transit Gateway attachment',
  global_accelerator_managed: 'Global Accelerator',
  lambda: 'Lambda Hyperplane interface',
};

/**
 * The topologies where neither cut acts on tracked flows, described, for the record's alarm.
 *
 * Network ACLs are evaluated where traffic crosses a subnet boundary, and the deny entries match the
 * instance's address as the remote side. Traffic between the instance and a NAT gateway, load balancer
 * node or endpoint in its *own* subnet crosses no ACL, and beyond that hop the address is the managed
 * ENI's, not the instance's. An egress-only internet gateway has no subnet and no ACL of its own: the
 * instance's own ACL sees the remote internet address, never the instance's. Those flows stay tracked
 * past the security group cut as well. https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
export async function uncutTrackedPaths(
  ec2: EC2Client,
  vpcId: string,
  subnetIds: ReadonlyArray<string>,
): Promise<string[]> {
  if (subnetIds.length === 0) return [];
  const [enis, tables] = await Promise.all([
    ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [...subnetIds] }] }),
    ),
    ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  ]);
  const found: string[] = [];
  for (const n of enis.NetworkInterfaces ?? []) {
    const kind = TRACKED_PATH_TYPES[n.InterfaceType ?? ''];
    if (kind !== undefined)
      found.push(
        `${kind} ${n.NetworkInterfaceId} is in ${n.SubnetId}, the instance's own subnet: its flows stay ` +
          'tracked and cross no network ACL, so neither cut stops them',
      );
  }
  for (const subnetId of subnetIds) {
    const eigw = routeTableOf(tables.RouteTables ?? [], subnetId)
      ?.Routes?.map((r) => r.EgressOnlyInternetGatewayId)
      .find((id) => id !== undefined);
    if (eigw !== undefined)
      found.push(
        `${subnetId} routes to egress-only internet gateway ${eigw}: its IPv6 flows stay tracked and no ` +
          "network ACL deny matches the instance's address on that path",
      );
  }
  return found;
}

/** The route table a subnet uses: its explicit association, else the VPC's main table. */
function routeTableOf(tables: ReadonlyArray<RouteTable>, subnetId: string): RouteTable | undefined {
  return (
    tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId)) ??
    tables.find((t) => (t.Associations ?? []).some((a) => a.Main === true))
  );
}
