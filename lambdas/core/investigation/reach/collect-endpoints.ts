import { type EC2Client, paginateDescribeVpcEndpoints } from '@aws-sdk/client-ec2';
import type { DocumentLike } from '../../../../policies/evaluation';
import { policyOf, reasonOf, type Unknown } from './collect-support';

/** One endpoint of the instance's VPC to an AWS service, and its policy (null: the default, full access). */
export interface VpcEndpointFacts {
  readonly service: string;
  readonly id: string;
  readonly region: string;
  readonly type?: string;
  /** Interface endpoints: whether the service's default DNS name resolves to the endpoint. */
  readonly privateDns?: boolean;
}

export interface EndpointsCollected {
  readonly endpoints: VpcEndpointFacts[];
  readonly policies: Array<{ id: string; policy: DocumentLike | null }>;
  readonly known: boolean;
}

/**
 * The VPC endpoints of the instance's VPC with their endpoint policies. DescribeVpcEndpoints names each
 * endpoint's service (`com.amazonaws.<region>.<service>`), type (Gateway, Interface...), whether private
 * DNS is on, and its PolicyDocument (the default one grants everything: "If you don't attach an endpoint
 * policy, we attach the default endpoint policy").
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 * A policy that does not parse is kept as no policy and recorded in `unknown`: reach may then over-report.
 */
export async function collectVpcEndpoints(
  ec2: EC2Client,
  vpcId: string | undefined,
  region: string,
  unknown: Unknown[],
): Promise<EndpointsCollected> {
  if (vpcId === undefined) return { endpoints: [], policies: [], known: true };
  const endpoints: VpcEndpointFacts[] = [];
  const policies: Array<{ id: string; policy: DocumentLike | null }> = [];
  try {
    for await (const page of paginateDescribeVpcEndpoints(
      { client: ec2 },
      { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] },
    )) {
      for (const e of page.VpcEndpoints ?? []) {
        const service = e.ServiceName?.split('.').slice(3).join('.');
        if (e.VpcEndpointId === undefined || !service) continue;
        endpoints.push({
          service,
          id: e.VpcEndpointId,
          region,
          ...(e.VpcEndpointType !== undefined ? { type: e.VpcEndpointType } : {}),
          ...(e.PrivateDnsEnabled !== undefined ? { privateDns: e.PrivateDnsEnabled } : {}),
        });
        try {
          policies.push({ id: e.VpcEndpointId, policy: policyOf(e.PolicyDocument) });
        } catch (err) {
          unknown.push({ what: `endpoint policy ${e.VpcEndpointId}`, reason: reasonOf(err) });
        }
      }
    }
    return { endpoints, policies, known: true };
  } catch (err) {
    unknown.push({ what: 'ec2:DescribeVpcEndpoints', reason: reasonOf(err) });
    return { endpoints: [], policies: [], known: false };
  }
}
