import { DescribeInstanceAttributeCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { sha256b64 } from '../../evidence/checksums';
import type { ExposureFacts } from './exposure-facts';

/**
 * The instance metadata service options: `HttpTokens=optional` allows IMDSv1, which answers a plain GET
 * (the server-side request forgery path to the role's credentials); a hop limit above 1 lets containers
 * on the instance reach it. Sequester does not change them, so they are the options at detection.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsResponse.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
 */
export function imdsOf(i: Instance | undefined): ExposureFacts['imds'] {
  const o = i?.MetadataOptions;
  const tokens = o?.HttpTokens;
  const endpoint = o?.HttpEndpoint;
  return {
    httpTokens: tokens === 'optional' || tokens === 'required' ? tokens : 'unknown',
    hopLimit: o?.HttpPutResponseHopLimit ?? null,
    endpoint: endpoint === 'enabled' || endpoint === 'disabled' ? endpoint : 'unknown',
  };
}

/**
 * SHA-256 (base64) of the instance's decoded user data, or null when it has none. The user data itself is
 * never kept: it often holds secrets (bootstrap tokens, passwords); the hash lets an investigator
 * compare it with a known-good launch template. DescribeInstanceAttribute returns it base64-encoded.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html
 */
export async function userDataSha256(ec2: EC2Client, instanceId: string): Promise<string | null> {
  const res = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
  );
  const encoded = res.UserData?.Value;
  if (encoded === undefined || encoded === '') return null;
  return sha256b64(Buffer.from(encoded, 'base64'));
}
