import { CreateVpcEndpointCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketPolicyCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { type ClientOptions, createEvidenceClients, createIsolationClients } from '../lambdas/core/clients';
import type { PolicyDocument } from '../policies/policy-document';

export interface VpcOnlyBucket {
  readonly bucket: string;
  readonly bucketArn: string;
  readonly endpointId: string;
}

/**
 * The bucket policy of a bucket whose data is readable only through one VPC endpoint: every data request
 * that does not arrive through it is denied, whoever signs it (after AWS's example "Restricting access to
 * a specific VPC endpoint", which denies `s3:*` and so also locks out configuration reads from outside).
 * Stolen credentials used from the internet get nothing from it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
 */
export const vpcOnlyBucketPolicy = (bucket: string, endpointId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AccessThroughTheVpcEndpointOnly',
      Effect: 'Deny',
      Principal: '*',
      // The data actions only: the account's administrators (and Sequester's collector) keep reading and
      // managing the bucket's configuration from outside the VPC.
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { StringNotEquals: { 'aws:SourceVpce': endpointId } },
    },
  ],
});

/**
 * The endpoint's own policy, a data-perimeter one: the VPC's workloads may read buckets of their own
 * account through it and nothing else (a gateway endpoint's policy must name `*` as Principal).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
export const ownBucketsEndpointPolicy = (accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOwnBuckets',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': accountId } },
    },
  ],
});

/**
 * Seeds, in the demo's local account, the reach scenario's VPC-only bucket: an S3 gateway endpoint on
 * the instance's VPC (on its route tables) with a policy, and a bucket tagged as internal data whose
 * policy admits only requests through that endpoint. Reach then finds it readable from the instance and
 * not from the internet. Idempotent for one VPC is not needed: the demo seeds a fresh account.
 */
export async function seedVpcOnlyBucket(
  opts: ClientOptions,
  vpcId: string,
  accountId: string,
  bucket = 'internal-reports',
): Promise<VpcOnlyBucket> {
  const { ec2 } = createIsolationClients(opts);
  const { s3 } = createEvidenceClients(opts);
  const tables = await ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const endpoint = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: `com.amazonaws.${opts.region}.s3`,
      VpcEndpointType: 'Gateway',
      RouteTableIds: (tables.RouteTables ?? []).flatMap((t) => (t.RouteTableId ? [t.RouteTableId] : [])),
      PolicyDocument: JSON.stringify(ownBucketsEndpointPolicy(accountId)),
    }),
  );
  const endpointId = endpoint.VpcEndpoint?.VpcEndpointId;
  if (endpointId === undefined) throw new Error('CreateVpcEndpoint returned no endpoint id');
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: opts.region as never },
    }),
  );
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: { TagSet: [{ Key: 'data-classification', Value: 'internal' }] },
    }),
  );
  // The policy last: moto applies a bucket policy's Deny to object writes without its conditions.
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify(vpcOnlyBucketPolicy(bucket, endpointId)),
    }),
  );
  return { bucket, bucketArn: `arn:aws:s3:::${bucket}`, endpointId };
}
