import type { Call } from '../wire';
import { anyResource, type Facts, forService, type OperationAuth } from './types';

/**
 * The read-only calls of the reach collectors (lambdas/core/investigation/reach/) to the JSON-protocol
 * services: Secrets Manager, Systems Manager Parameter Store and AWS Organizations.
 */
const sar = (page: string) =>
  `https://docs.aws.amazon.com/service-authorization/latest/reference/${page}.html`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** A secret named by ARN or name (the ARN's random suffix is unknown for a name: `-??????`). */
const secretArn = (c: Call, f: Facts) => {
  const id = str(c.json.SecretId);
  return id.startsWith('arn:')
    ? id
    : `arn:${f.partition}:secretsmanager:${c.region}:${f.account}:secret:${id}-??????`;
};

export const SECRETSMANAGER = forService('secretsmanager', {
  // The demo's setup (as the administrator).
  CreateSecret: {
    actions: ['secretsmanager:CreateSecret'],
    doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html`,
    checks: async (c, f) => [
      {
        action: 'secretsmanager:CreateSecret',
        resource: `arn:${f.partition}:secretsmanager:${c.region}:${f.account}:secret:${str(c.json.Name)}-??????`,
      },
    ],
  },
  ListSecrets: {
    actions: ['secretsmanager:ListSecrets'],
    doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html`,
    checks: anyResource('secretsmanager:ListSecrets'),
  },
  GetResourcePolicy: {
    actions: ['secretsmanager:GetResourcePolicy'],
    doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html`,
    checks: async (c, f) => [{ action: 'secretsmanager:GetResourcePolicy', resource: secretArn(c, f) }],
  },
});

/** Parameter ARNs drop the leading `/` of a hierarchical name (`parameter/app/token`). */
const parameterArn = (c: Call, f: Facts) =>
  `arn:${f.partition}:ssm:${c.region}:${f.account}:parameter/${str(c.json.ResourceId).replace(/^\//, '')}`;

export const SSM = forService('ssm', {
  DescribeParameters: {
    actions: ['ssm:DescribeParameters'],
    doc: `${sar('list_awssystemsmanager')} ; https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html`,
    checks: anyResource('ssm:DescribeParameters'),
  },
  ListTagsForResource: {
    actions: ['ssm:ListTagsForResource'],
    doc: `${sar('list_awssystemsmanager')} ; https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListTagsForResource.html`,
    checks: async (c, f) => [{ action: 'ssm:ListTagsForResource', resource: parameterArn(c, f) }],
  },
});

/**
 * Organizations reads. Policy and account ARNs need the organization id, which the request does not
 * carry; the local account is not in an organization, so these checks use `*` (every statement granting
 * them names `*` too: the organization is not known to the stack).
 */
const orgRead = (op: string): OperationAuth => ({
  actions: [`organizations:${op}`],
  doc: `${sar('list_awsorganizations')} ; https://docs.aws.amazon.com/organizations/latest/APIReference/API_${op}.html`,
  checks: anyResource(`organizations:${op}`),
});

export const ORGANIZATIONS = forService('organizations', {
  DescribeOrganization: orgRead('DescribeOrganization'),
  DescribePolicy: orgRead('DescribePolicy'),
  ListPoliciesForTarget: orgRead('ListPoliciesForTarget'),
  ListParents: orgRead('ListParents'),
});
