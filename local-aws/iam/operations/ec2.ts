import type { Call } from '../wire';
import {
  anyResource,
  type Check,
  type Facts,
  forService,
  listParam,
  type OperationAuth,
  resourceTags,
} from './types';

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html';
const api = (op: string) => `${SAR} ; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_${op}.html`;

/** EC2 resource types by id prefix (what CreateTags/DeleteTags name). */
const TYPES: ReadonlyArray<[string, string]> = [
  ['i-', 'instance'],
  ['sg-', 'security-group'],
  ['snap-', 'snapshot'],
  ['vol-', 'volume'],
  ['eni-', 'network-interface'],
  ['acl-', 'network-acl'],
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
];

/** A resource's ARN; snapshots carry no account id (`arn:aws:ec2:region::snapshot/id`). */
export function ec2ResourceArn(f: Facts, region: string, type: string, id: string): string {
  return `arn:${f.partition}:ec2:${region}:${type === 'snapshot' ? '' : f.account}:${type}/${id}`;
}

/** One check per named resource, each with that resource's tags as `aws:ResourceTag/*`. */
async function onResources(
  action: string,
  call: Call,
  f: Facts,
  resources: ReadonlyArray<[string, string]>,
  context: Record<string, string | string[]> = {},
): Promise<Check[]> {
  return Promise.all(
    resources.map(async ([type, id]) => ({
      action,
      resource: ec2ResourceArn(f, call.region, type, id),
      context: { ...(id.includes('*') ? {} : resourceTags(await f.ec2Tags(id))), ...context },
    })),
  );
}

/** Tags a request asks for (`TagSpecification.N.Tag.M.*` or CreateTags' `Tag.N.*`) as request context. */
function requestTags(form: URLSearchParams, prefix: string): Record<string, string | string[]> {
  const tags: Record<string, string> = {};
  for (const [k, v] of form) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}(\\d+)\\.Key$`).exec(k);
    if (m !== null) tags[v] = form.get(`${prefix}${m[1]}.Value`) ?? '';
  }
  if (Object.keys(tags).length === 0) return {};
  return {
    'aws:TagKeys': Object.keys(tags),
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  };
}

/** Tagging at creation is authorized as ec2:CreateTags with ec2:CreateAction = the creating action. */
async function tagOnCreate(call: Call, f: Facts, type: string): Promise<Check[]> {
  const tags = requestTags(call.form, 'TagSpecification.1.Tag.');
  if (Object.keys(tags).length === 0) return [];
  return onResources('ec2:CreateTags', call, f, [[type, '*']], {
    ...tags,
    'ec2:CreateAction': call.operation,
  });
}

const typeOf = (id: string) => TYPES.find(([p]) => id.startsWith(p))?.[1] ?? 'unknown';
const one = (call: Call, name: string) => call.form.get(name) ?? '';

/** An action on the resources named by the given parameters (`Name` or `Name.N`). */
const on =
  (action: string, params: ReadonlyArray<[string, string]>): OperationAuth['checks'] =>
  (call, f) =>
    onResources(
      action,
      call,
      f,
      params.flatMap(([type, p]) =>
        (call.form.has(p) ? [one(call, p)] : listParam(call.form, p)).map((id): [string, string] => [
          type,
          id,
        ]),
      ),
    );

const describe = (op: string): OperationAuth => ({
  actions: [`ec2:${op}`],
  doc: api(op),
  checks: anyResource(`ec2:${op}`),
});

/**
 * EC2 operations: Describe* support no resource-level permissions (`*`); the rest are checked on each
 * resource the request names. Where the request names no id of a resource type the action also covers
 * (a new group's id, the instance of an association id), the ARN ends in `*`, which only a policy
 * allowing every resource of that type matches.
 */
export const EC2 = forService('ec2', {
  ...Object.fromEntries(
    [
      'DescribeInstances',
      'DescribeSecurityGroups',
      'DescribeNetworkInterfaces',
      'DescribeNetworkAcls',
      'DescribeIamInstanceProfileAssociations',
      'DescribeSnapshots',
      'DescribeVolumes',
      'DescribeVpcs',
      'DescribeSubnets',
      'DescribeNatGateways',
      'DescribeVpcEndpoints',
      'DescribeFlowLogs',
      'DescribeRouteTables',
      'DescribeTags',
      'DescribeImportSnapshotTasks',
      // The exposure step (investigation/exposure/network-exposure.ts): Elastic IPs of the instance.
      'DescribeAddresses',
    ].map((op) => [op, describe(op)]),
  ),
  DescribeInstanceAttribute: describe('DescribeInstanceAttribute'),
  // The demo's reach scenario (demo/reach-scenario.ts) seeds a gateway endpoint as the administrator.
  CreateVpcEndpoint: {
    actions: ['ec2:CreateVpcEndpoint'],
    doc: api('CreateVpcEndpoint'),
    checks: on('ec2:CreateVpcEndpoint', [['vpc', 'VpcId']]),
  },
  // The demo's VPC flow log (demo/flow-log.ts), created by the administrator; the delivery role is passed.
  CreateFlowLogs: {
    actions: ['ec2:CreateFlowLogs'],
    conditional: ['iam:PassRole'],
    doc: api('CreateFlowLogs'),
    checks: async (call, f) => onResources('ec2:CreateFlowLogs', call, f, [['vpc-flow-log', '*']]),
  },
  GetConsoleOutput: {
    actions: ['ec2:GetConsoleOutput'],
    doc: api('GetConsoleOutput'),
    checks: on('ec2:GetConsoleOutput', [['instance', 'InstanceId']]),
  },
  GetConsoleScreenshot: {
    actions: ['ec2:GetConsoleScreenshot'],
    doc: api('GetConsoleScreenshot'),
    checks: on('ec2:GetConsoleScreenshot', [['instance', 'InstanceId']]),
  },
  CreateSecurityGroup: {
    actions: ['ec2:CreateSecurityGroup'],
    conditional: ['ec2:CreateTags'],
    doc: api('CreateSecurityGroup'),
    checks: async (call, f) => [
      ...(await onResources('ec2:CreateSecurityGroup', call, f, [['vpc', one(call, 'VpcId')]])),
      ...(await onResources(
        'ec2:CreateSecurityGroup',
        call,
        f,
        [['security-group', '*']],
        requestTags(call.form, 'TagSpecification.1.Tag.'),
      )),
      ...(await tagOnCreate(call, f, 'security-group')),
    ],
  },
  ...Object.fromEntries(
    [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
    ].map((op) => [
      op,
      { actions: [`ec2:${op}`], doc: api(op), checks: on(`ec2:${op}`, [['security-group', 'GroupId']]) },
    ]),
  ),
  ModifyNetworkInterfaceAttribute: {
    actions: ['ec2:ModifyNetworkInterfaceAttribute'],
    doc: api('ModifyNetworkInterfaceAttribute'),
    checks: on('ec2:ModifyNetworkInterfaceAttribute', [
      ['network-interface', 'NetworkInterfaceId'],
      ['security-group', 'SecurityGroupId'],
    ]),
  },
  ModifyInstanceAttribute: {
    actions: ['ec2:ModifyInstanceAttribute'],
    doc: api('ModifyInstanceAttribute'),
    checks: on('ec2:ModifyInstanceAttribute', [
      ['instance', 'InstanceId'],
      ['security-group', 'GroupId'],
    ]),
  },
  StopInstances: {
    actions: ['ec2:StopInstances'],
    doc: api('StopInstances'),
    checks: on('ec2:StopInstances', [['instance', 'InstanceId']]),
  },
  DisassociateIamInstanceProfile: {
    actions: ['ec2:DisassociateIamInstanceProfile'],
    doc: api('DisassociateIamInstanceProfile'),
    checks: (call, f) => onResources('ec2:DisassociateIamInstanceProfile', call, f, [['instance', '*']]),
  },
  AssociateIamInstanceProfile: {
    actions: ['ec2:AssociateIamInstanceProfile'],
    conditional: ['iam:PassRole'],
    doc: `${api('AssociateIamInstanceProfile')} ; https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html`,
    checks: async (call, f) => {
      const profile =
        call.form.get('IamInstanceProfile.Arn') ?? call.form.get('IamInstanceProfile.Name') ?? '';
      const roles = await f.profileRoles(profile);
      return [
        ...(await on('ec2:AssociateIamInstanceProfile', [['instance', 'InstanceId']])(call, f)),
        ...roles.map((resource) => ({
          action: 'iam:PassRole',
          resource,
          context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
        })),
      ];
    },
  },
  CreateNetworkAclEntry: {
    actions: ['ec2:CreateNetworkAclEntry'],
    doc: api('CreateNetworkAclEntry'),
    checks: on('ec2:CreateNetworkAclEntry', [['network-acl', 'NetworkAclId']]),
  },
  DeleteNetworkAclEntry: {
    actions: ['ec2:DeleteNetworkAclEntry'],
    doc: api('DeleteNetworkAclEntry'),
    checks: on('ec2:DeleteNetworkAclEntry', [['network-acl', 'NetworkAclId']]),
  },
  ...Object.fromEntries(
    (['CreateTags', 'DeleteTags'] as const).map((op) => [
      op,
      {
        actions: [`ec2:${op}`],
        doc: api(op),
        checks: (call: Call, f: Facts) =>
          Promise.all(
            listParam(call.form, 'ResourceId').map((id) =>
              onResources(`ec2:${op}`, call, f, [[typeOf(id), id]], requestTags(call.form, 'Tag.')),
            ),
          ).then((c) => c.flat()),
      } satisfies OperationAuth,
    ]),
  ),
  CreateSnapshots: {
    actions: ['ec2:CreateSnapshots'],
    conditional: ['ec2:CreateTags'],
    doc: api('CreateSnapshots'),
    checks: async (call, f) => [
      ...(await onResources('ec2:CreateSnapshots', call, f, [
        ['instance', one(call, 'InstanceSpecification.InstanceId')],
        ['volume', '*'],
        ['snapshot', '*'],
      ])),
      ...(await tagOnCreate(call, f, 'snapshot')),
    ],
  },
  LockSnapshot: {
    actions: ['ec2:LockSnapshot'],
    doc: api('LockSnapshot'),
    checks: on('ec2:LockSnapshot', [['snapshot', 'SnapshotId']]),
  },
  CreateVolume: {
    actions: ['ec2:CreateVolume'],
    doc: api('CreateVolume'),
    checks: async (call, f) => [
      ...(await onResources(
        'ec2:CreateVolume',
        call,
        f,
        [['volume', '*']],
        requestTags(call.form, 'TagSpecification.1.Tag.'),
      )),
      ...(await tagOnCreate(call, f, 'volume')),
    ],
  },
  AttachVolume: {
    actions: ['ec2:AttachVolume'],
    doc: api('AttachVolume'),
    checks: on('ec2:AttachVolume', [
      ['instance', 'InstanceId'],
      ['volume', 'VolumeId'],
    ]),
  },
});
