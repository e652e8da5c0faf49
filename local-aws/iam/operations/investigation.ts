import type { Call } from '../wire';
import { anyResource, type Facts, forService, type OperationAuth } from './types';

/**
 * The read-only operations of the investigation steps (reach collectors, flow-log readers) in services
 * the containment path never calls: Secrets Manager, Systems Manager, Organizations, CloudWatch Logs.
 * All four speak the JSON protocol (operation in `X-Amz-Target`, parameters in the body).
 */
const sar = (page: string) =>
  `https://docs.aws.amazon.com/service-authorization/latest/reference/${page}.html`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const at = (c: Call, f: Facts) => `arn:${f.partition}:%s:${c.region}:${f.account}`;

/**
 * A secret named by ARN is that ARN; by name, its ARN ends in `-` and six random characters, unknown
 * here, so the check names the secret with a wildcard suffix (only a policy on the name prefix matches).
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html
 */
const secretArn = (c: Call, f: Facts) => {
  const id = str(c.json.SecretId);
  return id.startsWith('arn:') ? id : `${at(c, f).replace('%s', 'secretsmanager')}:secret:${id}-??????`;
};
const onSecret = (op: string): OperationAuth => ({
  actions: [`secretsmanager:${op}`],
  doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_${op}.html`,
  checks: async (c, f) => [{ action: `secretsmanager:${op}`, resource: secretArn(c, f) }],
});

export const SECRETSMANAGER = forService('secretsmanager', {
  // The demo's setup (as the administrator).
  CreateSecret: {
    actions: ['secretsmanager:CreateSecret'],
    doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html`,
    checks: async (c, f) => [
      {
        action: 'secretsmanager:CreateSecret',
        resource: `${at(c, f).replace('%s', 'secretsmanager')}:secret:${str(c.json.Name)}-??????`,
      },
    ],
  },
  ListSecrets: {
    actions: ['secretsmanager:ListSecrets'],
    doc: `${sar('list_awssecretsmanager')} ; https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html`,
    checks: anyResource('secretsmanager:ListSecrets'),
  },
  GetResourcePolicy: onSecret('GetResourcePolicy'),
  DescribeSecret: onSecret('DescribeSecret'),
});

/** An SSM parameter's ARN: `parameter/` and its name without the leading slash. */
export const SSM = forService('ssm', {
  DescribeParameters: {
    actions: ['ssm:DescribeParameters'],
    doc: `${sar('list_awssystemsmanager')} ; https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html`,
    checks: anyResource('ssm:DescribeParameters'),
  },
  ListTagsForResource: {
    actions: ['ssm:ListTagsForResource'],
    doc: `${sar('list_awssystemsmanager')} ; https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListTagsForResource.html`,
    checks: async (c, f) => [
      {
        action: 'ssm:ListTagsForResource',
        resource: `${at(c, f).replace('%s', 'ssm')}:parameter/${str(c.json.ResourceId).replace(/^\//, '')}`,
      },
    ],
  },
});

/**
 * Organizations reads. Their resources (the organization, its roots, OUs, accounts and policies) are
 * ARNs under the organization's id, which the request does not carry: the checks name `*`, which only a
 * grant on every resource matches (the responder's reads are granted that way).
 */
const org = (op: string): OperationAuth => ({
  actions: [`organizations:${op}`],
  doc: `${sar('list_awsorganizations')} ; https://docs.aws.amazon.com/organizations/latest/APIReference/API_${op}.html`,
  checks: anyResource(`organizations:${op}`),
});
export const ORGANIZATIONS = forService('organizations', {
  DescribeOrganization: org('DescribeOrganization'),
  ListParents: org('ListParents'),
  ListPoliciesForTarget: org('ListPoliciesForTarget'),
  DescribePolicy: org('DescribePolicy'),
});

/**
 * CloudWatch Logs: FilterLogEvents on a log group (by name, or by ARN in logGroupIdentifier).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 */
export const LOGS = forService('logs', {
  FilterLogEvents: {
    actions: ['logs:FilterLogEvents'],
    doc: `${sar('list_amazoncloudwatchlogs')} ; https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html`,
    checks: async (c, f) => {
      const id = str(c.json.logGroupIdentifier);
      const name = typeof c.json.logGroupName === 'string' ? c.json.logGroupName : id;
      const group = id.startsWith('arn:')
        ? id.replace(/:\*$/, '')
        : `${at(c, f).replace('%s', 'logs')}:log-group:${name}`;
      return [{ action: 'logs:FilterLogEvents', resource: group }];
    },
  },
  // The demo's flow log (demo/flow-log.ts) is seeded by the administrator: a group, a stream, records.
  ...Object.fromEntries(
    (['CreateLogGroup', 'CreateLogStream', 'PutLogEvents'] as const).map((op) => [
      op,
      {
        actions: [`logs:${op}`],
        doc: `${sar('list_amazoncloudwatchlogs')} ; https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_${op}.html`,
        checks: async (c: Call, f: Facts) => {
          const group = `${at(c, f).replace('%s', 'logs')}:log-group:${str(c.json.logGroupName)}`;
          const stream = str(c.json.logStreamName);
          // PutLogEvents acts on the stream; the other two on the group.
          const resource = op === 'PutLogEvents' ? `${group}:log-stream:${stream}` : group;
          return [{ action: `logs:${op}`, resource }];
        },
      } satisfies OperationAuth,
    ]),
  ),
});
