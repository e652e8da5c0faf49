import { type ArnContext, ec2Arn, RESPONDER_PATH } from './arn-context';
import type { PolicyStatement } from './policy-document';
import { quarantinePolicyArn } from './quarantined-instances';

/** Tag keys Sequester writes on instances and security groups; tag writes are limited to them. */
const SEQUESTER_TAG_KEYS = ['sequester:*'];
const GROUP_TAG_KEYS = ['sequester:role', 'Name'];

/**
 * EC2 Describe* calls support no resource-level permissions, so they are the only `*` resources here.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
const describe = (actions: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'DescribeOnly',
  Effect: 'Allow',
  Action: [...actions],
  Resource: '*',
});

const arns = (c: ArnContext, accounts: ReadonlyArray<string>, resource: string) =>
  accounts.map((a) => ec2Arn(c, a, resource));

/**
 * The credential deny is one customer-managed policy per account (policies/quarantined-instances.ts):
 * its versions are written on that one policy ARN only, and it is the only policy these roles may attach
 * to a role (`iam:PolicyARN`), so they can write no inline policy and attach nothing else anywhere.
 * Release only rewrites the list (the policy stays attached), so it needs neither CreatePolicy nor
 * AttachRolePolicy. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_limit-managed.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
function credentialDenyStatements(
  c: ArnContext,
  accounts: ReadonlyArray<string>,
  create: boolean,
): PolicyStatement[] {
  const policies = accounts.map((a) => quarantinePolicyArn(c.partition, a));
  const roles = accounts.map((a) => `arn:${c.partition}:iam::${a}:role/*`);
  return [
    {
      Sid: 'WriteQuarantinePolicy',
      Effect: 'Allow',
      Action: [
        ...(create ? ['iam:CreatePolicy'] : []),
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
      ],
      Resource: policies,
    },
    ...(create
      ? [
          {
            Sid: 'AttachOnlyQuarantinePolicy',
            Effect: 'Allow' as const,
            Action: 'iam:AttachRolePolicy',
            Resource: roles,
            Condition: { ArnEquals: { 'iam:PolicyARN': policies } },
          },
          {
            // Verification reads the role's policies back and proves, with the IAM evaluator, that the
            // instance's session may do nothing any of them allows (lambdas/core/isolation/verify-credentials.ts).
            Sid: 'ReadRolePolicies',
            Effect: 'Allow' as const,
            Action: [
              'iam:GetRole',
              'iam:GetRolePolicy',
              'iam:ListAttachedRolePolicies',
              'iam:ListRolePolicies',
            ],
            Resource: roles,
          },
          {
            // The default version of every policy attached to the role, AWS managed ones included.
            Sid: 'ReadAttachedPolicies',
            Effect: 'Allow' as const,
            Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
            Resource: [
              ...accounts.map((a) => `arn:${c.partition}:iam::${a}:policy/*`),
              `arn:${c.partition}:iam::aws:policy/*`,
            ],
          },
        ]
      : []),
  ];
}

/**
 * What the isolation engine calls (lambdas/core/isolation/isolate.ts and what it imports), in the given
 * accounts. Security-group rule changes are limited to the groups Sequester created (tagged at creation,
 * `sequester:role`), and tag writes to `sequester:*` keys.
 */
export function isolationStatements(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  const acct = (resource: string) => arns(c, accounts, resource);
  return [
    describe([
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceAttribute',
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeNetworkInterfaces',
      // verify-isolation.ts (tracked-paths.ts): an egress-only internet gateway route in the instance's subnet.
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'autoscaling:DescribeAutoScalingInstances',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTargetGroups',
    ]),
    // CreateSecurityGroup authorizes the VPC and the new group separately; only the group carries tags.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-security-groups
    { Sid: 'CreateGroupInVpc', Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: acct('vpc/*') },
    {
      Sid: 'CreateTaggedGroup',
      Effect: 'Allow',
      Action: 'ec2:CreateSecurityGroup',
      Resource: acct('security-group/*'),
      Condition: { StringEquals: { 'aws:RequestTag/sequester:role': ['untracked', 'quarantine'] } },
    },
    {
      Sid: 'TagGroupAtCreation',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: acct('security-group/*'),
      Condition: {
        StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': GROUP_TAG_KEYS },
      },
    },
    {
      Sid: 'EditOwnGroups',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupEgress',
      ],
      Resource: acct('security-group/*'),
      Condition: { StringEquals: { 'aws:ResourceTag/sequester:role': ['untracked', 'quarantine'] } },
    },
    {
      Sid: 'SwapGroups',
      Effect: 'Allow',
      Action: 'ec2:ModifyNetworkInterfaceAttribute',
      Resource: [...acct('network-interface/*'), ...acct('security-group/*'), ...acct('instance/*')],
    },
    {
      Sid: 'ProtectInstance',
      Effect: 'Allow',
      Action: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:DisassociateIamInstanceProfile'],
      Resource: [...acct('instance/*'), ...acct('security-group/*')],
    },
    {
      Sid: 'TagInstance',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: acct('instance/*'),
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': SEQUESTER_TAG_KEYS } },
    },
    {
      Sid: 'DenyInNacl',
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkAclEntry',
      Resource: acct('network-acl/*'),
    },
    {
      Sid: 'FindInstanceRole',
      Effect: 'Allow',
      Action: 'iam:GetInstanceProfile',
      Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:instance-profile/*`),
    },
    ...credentialDenyStatements(c, accounts, true),
    {
      Sid: 'LeaveGroupAndTargets',
      Effect: 'Allow',
      Action: ['autoscaling:DetachInstances', 'elasticloadbalancing:DeregisterTargets'],
      Resource: [
        ...accounts.map(
          (a) => `arn:${c.partition}:autoscaling:*:${a}:autoScalingGroup:*:autoScalingGroupName/*`,
        ),
        ...accounts.map((a) => `arn:${c.partition}:elasticloadbalancing:*:${a}:targetgroup/*`),
      ],
    },
  ];
}

/** What a dry run (lambdas/core/isolation/plan.ts) reads to say what isolation would do. Reads only. */
export const planStatements = (): PolicyStatement[] => [
  {
    ...describe([
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceAttribute',
      'ec2:DescribeIamInstanceProfileAssociations',
      'ec2:DescribeSecurityGroups',
      'autoscaling:DescribeAutoScalingInstances',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTargetGroups',
    ]),
    Sid: 'PlanReadsOnly',
  },
];

/** What release calls (lambdas/core/isolation/release.ts): the inverse of each isolation change. */
export function releaseStatements(c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement[] {
  const acct = (resource: string) => arns(c, accounts, resource);
  return [
    describe(['ec2:DescribeIamInstanceProfileAssociations', 'ec2:DescribeNetworkAcls']),
    {
      Sid: 'RestoreInstance',
      Effect: 'Allow',
      Action: ['ec2:ModifyInstanceAttribute', 'ec2:AssociateIamInstanceProfile'],
      Resource: [...acct('instance/*'), ...acct('security-group/*')],
    },
    {
      Sid: 'RestoreGroups',
      Effect: 'Allow',
      Action: 'ec2:ModifyNetworkInterfaceAttribute',
      Resource: [...acct('network-interface/*'), ...acct('security-group/*'), ...acct('instance/*')],
    },
    {
      Sid: 'UntagInstance',
      Effect: 'Allow',
      Action: 'ec2:DeleteTags',
      Resource: acct('instance/*'),
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': SEQUESTER_TAG_KEYS } },
    },
    {
      Sid: 'UndoNaclDeny',
      Effect: 'Allow',
      Action: 'ec2:DeleteNetworkAclEntry',
      Resource: acct('network-acl/*'),
    },
    ...credentialDenyStatements(c, accounts, false),
    {
      // Re-associating the original profile passes its role to EC2, and only to EC2.
      Sid: 'PassOriginalRoleToEc2',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:role/*`),
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'RejoinGroupAndTargets',
      Effect: 'Allow',
      Action: ['autoscaling:AttachInstances', 'elasticloadbalancing:RegisterTargets'],
      Resource: [
        ...accounts.map(
          (a) => `arn:${c.partition}:autoscaling:*:${a}:autoScalingGroup:*:autoScalingGroupName/*`,
        ),
        ...accounts.map((a) => `arn:${c.partition}:elasticloadbalancing:*:${a}:targetgroup/*`),
      ],
    },
  ];
}

/**
 * The responder may attach its deny policy to roles and pass roles to EC2, so it must never do either to
 * its own roles, nor change their policies in any other way should a later grant allow it (a bug or a
 * stolen session must not be able to grant itself anything). Roles of this stack live under this path.
 */
export const denySelfEscalation = (c: ArnContext, accounts: ReadonlyArray<string>): PolicyStatement => ({
  Sid: 'NeverEditSequesterRoles',
  Effect: 'Deny',
  Action: [
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:PassRole',
  ],
  Resource: accounts.map((a) => `arn:${c.partition}:iam::${a}:role${RESPONDER_PATH}*`),
});
