import { DescribeNatGatewaysCommand, type EC2Client } from '@aws-sdk/client-ec2';

/** What the activity pass needs of the NAT gateways of the instance's VPC. */
export interface NatGateways {
  /** Their public addresses: calls the instance makes through them carry these (CloudTrail sourceIPAddress). */
  readonly publicIps: ReadonlyArray<string>;
  /** Their network interfaces: flow records there carry the instance's internet traffic (pkt-srcaddr). */
  readonly eniIds: ReadonlyArray<string>;
}

/**
 * The NAT gateways of a VPC, in one DescribeNatGateways. Not part of the quarantine record, so read at
 * investigation time.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGatewayAddress.html
 */
async function describeNatGateways(ec2: EC2Client, vpcId: string): Promise<NatGateways> {
  const out = await ec2.send(
    new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const addresses = (out.NatGateways ?? []).flatMap((g) => g.NatGatewayAddresses ?? []);
  return {
    publicIps: addresses.flatMap((a) => (a.PublicIp === undefined || a.PublicIp === '' ? [] : [a.PublicIp])),
    eniIds: addresses.flatMap((a) => (a.NetworkInterfaceId === undefined ? [] : [a.NetworkInterfaceId])),
  };
}

/**
 * A reader that asks once per VPC: the session's addresses and the flow target of one activity pass
 * share the answer (or the error, which each records as its own gap).
 */
export function natGatewaysOnce(ec2: EC2Client): (vpcId: string) => Promise<NatGateways> {
  const asked = new Map<string, Promise<NatGateways>>();
  return (vpcId) => {
    let p = asked.get(vpcId);
    if (p === undefined) {
      p = describeNatGateways(ec2, vpcId);
      asked.set(vpcId, p);
    }
    return p;
  };
}
