import type { EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { reasonOf } from '../../errors';
import type { QuarantineRecord } from '../../ledger/record';
import { natGatewaysOnce } from '../nat-gateways';

const DAY_MS = 24 * 3600 * 1000;
/** How far before the finding the window starts when the instance is older (issue 13's default). */
export const LOOK_BACK_DAYS = 7;

/** What the activity step follows: the instance session, its addresses and the window. */
export interface ActivityTarget {
  readonly instanceId: string;
  readonly roleName: string;
  readonly roleArn: string;
  /** `<role id>:<instance id>`: EC2 names the role session after the instance. */
  readonly principalId: string;
  readonly instanceAddresses: ReadonlyArray<string>;
  /** What is not known about the addresses (calls from them would count as `other`). */
  readonly addressGaps: ReadonlyArray<string>;
  readonly since: string;
}

interface Facts {
  readonly instanceId?: string;
  readonly vpcId?: string;
  readonly launchTime?: string;
  readonly instanceProfileArn?: string;
}
interface Eni {
  readonly privateIpv4?: ReadonlyArray<string>;
  readonly ipv6?: ReadonlyArray<string>;
  readonly publicIpv4?: ReadonlyArray<string>;
}

/**
 * The role of the instance profile as isolation recorded it (changes.credentials.roleName), else read
 * from the profile recorded before isolation. Undefined: the instance had no role, so no credentials.
 */
async function roleNameOf(iam: IAMClient, r: QuarantineRecord, facts: Facts): Promise<string | undefined> {
  const recorded = (r.changes.credentials as { roleName?: string } | undefined)?.roleName;
  if (recorded !== undefined) return recorded;
  const profile = facts.instanceProfileArn?.split('/').pop();
  if (profile === undefined) return undefined;
  const out = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile }));
  return out.InstanceProfile?.Roles?.[0]?.RoleName;
}

/** The activity window's start: the later of the launch and 7 days before the finding (the quarantine's creation). */
export function activityWindowStart(r: QuarantineRecord): string {
  const facts = (r.preState.instance ?? {}) as Facts;
  const lookBack = Date.parse(r.createdAt) - LOOK_BACK_DAYS * DAY_MS;
  const launch = facts.launchTime === undefined ? Number.NaN : Date.parse(facts.launchTime);
  return new Date(Number.isNaN(launch) ? lookBack : Math.max(launch, lookBack)).toISOString();
}

/**
 * The session to follow for a quarantined instance: principal id `<role id>:<instance id>` (the role id
 * from IAM GetRole, since the record holds names), the addresses recorded at quarantine time (private,
 * IPv6, public and Elastic IPs) plus the VPC's NAT gateway addresses, and the window start: the later of
 * the launch and 7 days before the finding (the quarantine's creation).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export async function activityTarget(
  c: { readonly iam: IAMClient; readonly ec2: EC2Client },
  r: QuarantineRecord,
  natGateways = natGatewaysOnce(c.ec2),
): Promise<ActivityTarget | { readonly unavailable: string }> {
  const facts = (r.preState.instance ?? {}) as Facts;
  const enis = ((r.preState.network as { enis?: Eni[] } | undefined)?.enis ?? []) as Eni[];
  const instanceId = r.instance.instanceId;
  let roleName: string | undefined;
  let role: { RoleId?: string; Arn?: string } | undefined;
  try {
    roleName = await roleNameOf(c.iam, r, facts);
    if (roleName === undefined)
      return { unavailable: 'the instance had no instance profile role: no session credentials to follow' };
    role = (await c.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (err) {
    return { unavailable: `the instance role's id could not be read: ${reasonOf(err)}` };
  }
  if (role?.RoleId === undefined || role.Arn === undefined)
    return { unavailable: `IAM returned no id for role ${roleName}` };
  const gaps: string[] = [];
  if (enis.some((e) => e.publicIpv4 === undefined))
    gaps.push('public addresses were not recorded at quarantine time (record older than this field)');
  let nat: string[] = [];
  if (facts.vpcId !== undefined && facts.vpcId !== '') {
    nat = await natGateways(facts.vpcId).then(
      (g) => [...g.publicIps],
      (err: unknown) => {
        gaps.push(`NAT gateway addresses unknown: ${reasonOf(err)}`);
        return [];
      },
    );
  }
  const addresses = [
    ...new Set([
      ...enis.flatMap((e) => [...(e.privateIpv4 ?? []), ...(e.ipv6 ?? []), ...(e.publicIpv4 ?? [])]),
      ...nat,
    ]),
  ];
  return {
    instanceId,
    roleName,
    roleArn: role.Arn,
    principalId: `${role.RoleId}:${instanceId}`,
    instanceAddresses: addresses,
    addressGaps: gaps,
    since: activityWindowStart(r),
  };
}
