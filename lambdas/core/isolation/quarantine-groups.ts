import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { awsErrorName } from '../errors';
import { requestIdsOf } from '../request-ids';

export const ROLE_TAG = 'sequester:role';
export type GroupRole = 'untracked' | 'quarantine';

export interface QuarantineGroups {
  readonly untrackedGroupId: string;
  readonly quarantineGroupId: string;
  readonly created: ReadonlyArray<string>;
  readonly requestIds: ReadonlyArray<string>;
}

const ALL_TRAFFIC: IpPermission = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
};

/**
 * Both groups the network cut needs, found by tag in one DescribeSecurityGroups call and created on first
 * need. Names are deterministic per VPC, so two quarantines racing to create them meet on
 * InvalidGroup.Duplicate and both use the one that won.
 */
export async function findOrCreateGroups(
  ec2: EC2Client,
  vpcId: string,
  forensicCidrs: ReadonlyArray<string>,
): Promise<QuarantineGroups> {
  const requestIds: string[] = [];
  const found = await findGroups(ec2, vpcId, requestIds);
  const created: string[] = [];
  const ensure = async (role: GroupRole) => {
    const existing = found.get(role);
    if (existing !== undefined) return existing;
    const made = await createGroup(ec2, vpcId, role, requestIds);
    if (made.created) created.push(made.groupId);
    return made.groupId;
  };
  const [untrackedGroupId, quarantineGroupId] = await Promise.all([
    ensure('untracked'),
    ensure('quarantine'),
  ]);
  if (forensicCidrs.length > 0) await allowForensicAccess(ec2, quarantineGroupId, forensicCidrs, requestIds);
  return { untrackedGroupId, quarantineGroupId, created, requestIds };
}

/** The VPC's existing Sequester groups by role (read only). */
export async function findGroups(
  ec2: EC2Client,
  vpcId: string,
  requestIds: string[] = [],
): Promise<Map<GroupRole, string>> {
  const res = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: `tag:${ROLE_TAG}`, Values: ['untracked', 'quarantine'] },
      ],
    }),
  );
  requestIds.push(...requestIdsOf(res));
  const map = new Map<GroupRole, string>();
  for (const g of res.SecurityGroups ?? []) {
    const role = g.Tags?.find((t) => t.Key === ROLE_TAG)?.Value;
    if ((role === 'untracked' || role === 'quarantine') && g.GroupId !== undefined) map.set(role, g.GroupId);
  }
  return map;
}

export const groupName = (vpcId: string, role: GroupRole) => `sequester-${role}-${vpcId}`;

async function createGroup(
  ec2: EC2Client,
  vpcId: string,
  role: GroupRole,
  requestIds: string[],
): Promise<{ groupId: string; created: boolean }> {
  let groupId: string;
  try {
    const res = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: groupName(vpcId, role),
        Description:
          role === 'quarantine'
            ? 'Sequester quarantine: no ingress, no egress'
            : 'Sequester transition: all traffic, so existing flows become untracked before the cut',
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: ROLE_TAG, Value: role },
              { Key: 'Name', Value: groupName(vpcId, role) },
            ],
          },
        ],
      }),
    );
    groupId = res.GroupId ?? '';
    requestIds.push(...requestIdsOf(res));
  } catch (err) {
    if (awsErrorName(err) !== 'InvalidGroup.Duplicate') throw err;
    const res = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: [groupName(vpcId, role)] },
        ],
      }),
    );
    return { groupId: res.SecurityGroups?.[0]?.GroupId ?? '', created: false };
  }
  if (role === 'quarantine') {
    // A new group allows all egress by default; the quarantine group must allow nothing.
    await ignoring('InvalidPermission.NotFound', () =>
      ec2.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      ),
    );
  } else {
    // Untracked needs all traffic both ways on IPv4 and IPv6.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#untracked-connections
    await ignoring('InvalidPermission.Duplicate', () =>
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ALL_TRAFFIC] })),
    );
    await ignoring('InvalidPermission.Duplicate', () =>
      ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
        }),
      ),
    );
  }
  return { groupId, created: true };
}

/** SSH from the forensic workstations only. The quarantine group stays otherwise empty. */
async function allowForensicAccess(
  ec2: EC2Client,
  groupId: string,
  cidrs: ReadonlyArray<string>,
  requestIds: string[],
): Promise<void> {
  const v4 = cidrs
    .filter((c) => !c.includes(':'))
    .map((CidrIp) => ({ CidrIp, Description: 'sequester forensic access' }));
  const v6 = cidrs
    .filter((c) => c.includes(':'))
    .map((CidrIpv6) => ({ CidrIpv6, Description: 'sequester forensic access' }));
  await ignoring('InvalidPermission.Duplicate', async () => {
    const res = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: v4, Ipv6Ranges: v6 }],
      }),
    );
    requestIds.push(...requestIdsOf(res));
  });
}

async function ignoring(code: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (awsErrorName(err) !== code) throw err;
  }
}
