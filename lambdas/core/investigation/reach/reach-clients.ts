import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ClientOptions } from '../../clients';
import type { ReachClients } from './collect-reach';
import type { JsonApi } from './json-api';

type CommandClass = new (input: never) => object;
interface Sender {
  send(command: never): Promise<unknown>;
}

/**
 * A JsonApi over a real SDK client: the operations the collectors name, each mapped to its Command
 * class; an operation not listed is a programming error, reported as such (never sent).
 */
export function jsonApiOf(client: Sender, commands: Readonly<Record<string, CommandClass>>): JsonApi {
  return {
    send: (c) => {
      const Command = commands[c.operation];
      if (Command === undefined) return Promise.reject(new Error(`no command for ${c.operation}`));
      return client.send(new Command(c.input as never) as never);
    },
  };
}

export const SECRETS = {
  ListSecrets: ListSecretsCommand,
  GetResourcePolicy: GetResourcePolicyCommand,
  DescribeSecret: DescribeSecretCommand,
};
export const SSM = {
  DescribeParameters: DescribeParametersCommand,
  ListTagsForResource: ListTagsForResourceCommand,
};
export const ORGANIZATIONS = {
  DescribeOrganization: DescribeOrganizationCommand,
  ListParents: ListParentsCommand,
  ListPoliciesForTarget: ListPoliciesForTargetCommand,
  DescribePolicy: DescribePolicyCommand,
};

/** One client per service and region, built on first use (a collection touches a few regions). */
function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const made = new Map<string, T>();
  return (region) => {
    let c = made.get(region);
    if (c === undefined) {
      c = make(region);
      made.set(region, c);
    }
    return c;
  };
}

/**
 * The reach collectors' clients for one account: regional services per region, IAM and Organizations
 * global (Organizations is served from us-east-1 in the aws partition).
 * https://docs.aws.amazon.com/general/latest/gr/ao.html
 * S3 uses path-style addressing with a local endpoint, as the other S3 clients of the project do.
 * `given` clients are used as they are (the reach task passes the instance account's IAM and EC2
 * clients, and Organizations with the responder's own credentials).
 */
export function createReachClients(
  o: ClientOptions,
  given: Partial<Pick<ReachClients, 'iam' | 'ec2' | 'organizations'>> = {},
): ReachClients {
  const common = (region: string) => ({
    region,
    ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
    ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
    ...(o.requestHandler === undefined ? {} : { requestHandler: o.requestHandler }),
    maxAttempts: o.maxAttempts ?? 5,
    retryMode: 'adaptive' as const,
  });
  return {
    iam: given.iam ?? new IAMClient(common(o.region)),
    ec2: given.ec2 ?? new EC2Client(common(o.region)),
    // Buckets named in another account are read from the instance's region: follow S3's redirect.
    s3For: perRegion(
      (r) =>
        new S3Client({ ...common(r), forcePathStyle: o.endpoint !== undefined, followRegionRedirects: true }),
    ),
    kmsFor: perRegion((r) => new KMSClient(common(r))),
    dynamodbFor: perRegion((r) => new DynamoDBClient(common(r))),
    secretsFor: perRegion((r) => jsonApiOf(new SecretsManagerClient(common(r)), SECRETS)),
    ssmFor: perRegion((r) => jsonApiOf(new SSMClient(common(r)), SSM)),
    organizations:
      given.organizations ?? jsonApiOf(new OrganizationsClient(common('us-east-1')), ORGANIZATIONS),
  };
}
