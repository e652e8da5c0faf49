import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetResourcePolicyCommand,
  ListSecretsCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, ListTagsForResourceCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { JsonApi } from './json-api';

type CommandClass = new (input: never) => unknown;
interface Sender {
  send(command: never): Promise<unknown>;
}

/** A JsonApi over a real SDK client: each operation the collectors use, by name, to its Command class. */
function over(client: Sender, commands: Readonly<Record<string, CommandClass>>): JsonApi {
  return {
    send: async (c) => {
      const C = commands[c.operation];
      if (C === undefined) throw new Error(`operation not adapted: ${c.operation}`);
      return client.send(new C(c.input as never) as never);
    },
  };
}

/** Secrets Manager as the reach collector calls it (collect-secrets.ts). */
export const secretsApi = (client: SecretsManagerClient): JsonApi =>
  over(client as unknown as Sender, {
    ListSecrets: ListSecretsCommand,
    GetResourcePolicy: GetResourcePolicyCommand,
  });

/** Systems Manager Parameter Store as the reach collector calls it (collect-ssm.ts). */
export const ssmApi = (client: SSMClient): JsonApi =>
  over(client as unknown as Sender, {
    DescribeParameters: DescribeParametersCommand,
    ListTagsForResource: ListTagsForResourceCommand,
  });

/** AWS Organizations as the reach collector calls it (collect-organizations.ts). */
export const organizationsApi = (client: OrganizationsClient): JsonApi =>
  over(client as unknown as Sender, {
    DescribeOrganization: DescribeOrganizationCommand,
    DescribePolicy: DescribePolicyCommand,
    ListPoliciesForTarget: ListPoliciesForTargetCommand,
    ListParents: ListParentsCommand,
  });
