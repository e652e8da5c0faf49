import { createHash } from 'node:crypto';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { awsErrorName } from '../errors';
import { NOT_YET_VISIBLE, rereadUntil, retryWhileNotVisible } from '../eventual-consistency';
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
 * The quarantine group of one request. Without forensic CIDRs: the VPC's empty quarantine group. With
 * them: a quarantine group of its own for that CIDR set, allowing SSH from exactly those CIDRs, so
 * forensic access granted for one incident never opens any other quarantined instance of the VPC.
 * Quarantines with the same CIDR set share it (they grant the same access).
 */
export function quarantineGroupName(vpcId: string, forensicCidrs: ReadonlyArray<string>): string {
  if (forensicCidrs.length === 0) return groupName(vpcId, 'quarantine');
  const set = [...new Set(forensicCidrs.map((c) => c.toLowerCase()))].sort().join(',');
  return `${groupName(vpcId, 'quarantine')}-ssh-${createHash('sha256').update(set).digest('hex').slice(0, 16)}`;
}

/**
 * Both groups the network cut needs, found by name in one DescribeSecurityGroups call and created on
 * first need. Names are deterministic per VPC (and CIDR set), so two quarantines racing to create them
 * meet on InvalidGroup.Duplicate and both use the one that won.
 */
export async function findOrCreateGroups(
  ec2: EC2Client,
  vpcId: string,
  forensicCidrs: ReadonlyArray<string>,
): Promise<QuarantineGroups> {
  const requestIds: string[] = [];
  const names = {
    untracked: groupName(vpcId, 'untracked'),
    quarantine: quarantineGroupName(vpcId, forensicCidrs),
  };
  const found = await findGroups(ec2, vpcId, Object.values(names), requestIds);
  const created: string[] = [];
  const ensure = async (role: GroupRole) => {
    const existing = found.get(names[role]);
    if (existing?.GroupId !== undefined) {
      // A run that died between CreateSecurityGroup and the egress revoke left AWS's default egress rule.
      if (role === 'quarantine' && (existing.IpPermissionsEgress ?? []).length > 0)
        await revokeAllEgress(ec2, existing.GroupId, existing.IpPermissionsEgress ?? [], requestIds);
      return existing.GroupId;
    }
    const made = await createGroup(ec2, vpcId, role, names[role], requestIds);
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

/** The VPC's security groups of these names (read only), by name, with their rules. */
export async function findGroups(
  ec2: EC2Client,
  vpcId: string,
  names: ReadonlyArray<string>,
  requestIds: string[] = [],
): Promise<Map<string, SecurityGroup>> {
  const res = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [...names] },
      ],
    }),
  );
  requestIds.push(...requestIdsOf(res));
  return new Map((res.SecurityGroups ?? []).map((g) => [g.GroupName ?? '', g]));
}

export const groupName = (vpcId: string, role: GroupRole) => `sequester-${role}-${vpcId}`;

async function createGroup(
  ec2: EC2Client,
  vpcId: string,
  role: GroupRole,
  name: string,
  requestIds: string[],
): Promise<{ groupId: string; created: boolean }> {
  let groupId: string;
  try {
    const res = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: name,
        Description:
          role === 'quarantine'
            ? 'Sequester quarantine: no egress; no ingress but SSH from forensic CIDRs named in its name'
            : 'Sequester transition: all traffic, so existing flows become untracked before the cut',
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: ROLE_TAG, Value: role },
              { Key: 'Name', Value: name },
            ],
          },
        ],
      }),
    );
    groupId = res.GroupId ?? '';
    requestIds.push(...requestIdsOf(res));
  } catch (err) {
    if (awsErrorName(err) !== 'InvalidGroup.Duplicate') throw err;
    // The winner's group may not be listed yet (eventual consistency): read again until it is.
    const res = await rereadUntil(
      () =>
        ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: 'vpc-id', Values: [vpcId] },
              { Name: 'group-name', Values: [name] },
            ],
          }),
        ),
      (r) => r.SecurityGroups?.[0]?.GroupId !== undefined,
    );
    const winner = res.SecurityGroups?.[0]?.GroupId;
    if (winner === undefined)
      throw new Error(`security group ${name} exists but cannot be read`, { cause: err });
    return { groupId: winner, created: false };
  }
  // The new id can answer InvalidGroup.NotFound for a few seconds: every call naming it retries that
  // (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html). Once these succeed the
  // group is visible, so the network cut that follows does not wait on it with an ENI in the open group.
  const visible = <T>(call: () => Promise<T>) => retryWhileNotVisible([NOT_YET_VISIBLE.group], call);
  if (role === 'quarantine') {
    // A new group allows all egress by default; the quarantine group must allow nothing.
    await visible(() =>
      revokeAllEgress(ec2, groupId, [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], requestIds),
    );
  } else {
    // Untracked needs all traffic both ways on IPv4 and IPv6.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#untracked-connections
    await visible(() =>
      ignoring('InvalidPermission.Duplicate', () =>
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ALL_TRAFFIC] }),
        ),
      ),
    );
    await visible(() =>
      ignoring('InvalidPermission.Duplicate', () =>
        ec2.send(
          new AuthorizeSecurityGroupEgressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
          }),
        ),
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
  // The group may have been created by this run: InvalidGroup.NotFound means "not visible yet".
  await ignoring('InvalidPermission.Duplicate', async () => {
    const res = await retryWhileNotVisible([NOT_YET_VISIBLE.group], () =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: v4, Ipv6Ranges: v6 }],
        }),
      ),
    );
    requestIds.push(...requestIdsOf(res));
  });
}

async function revokeAllEgress(
  ec2: EC2Client,
  groupId: string,
  rules: IpPermission[],
  requestIds: string[],
): Promise<void> {
  await ignoring('InvalidPermission.NotFound', async () => {
    const res = await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: rules }),
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
