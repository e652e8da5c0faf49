import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  type BackoffOptions,
  NOT_YET_VISIBLE,
  rereadUntil,
  retryWhileNotVisible,
} from '../eventual-consistency';
import { existingEntries, type NaclEntry, readNetworkAcls } from './nacl-deny';
import { denyOrderProblems } from './nacl-order';
import { type QuarantineDeny, quarantineDenyMismatches } from './quarantined-policy';
import { uncutTrackedPaths } from './tracked-paths';
import { type CredentialCheck, checkCredentials, credentialMismatches } from './verify-credentials';

export interface IsolationPlanFacts {
  readonly instanceId: string;
  readonly vpcId: string;
  /** Subnets of the instance's ENIs: where managed ENIs and routes make flows no cut reaches. */
  readonly subnetIds?: ReadonlyArray<string>;
  readonly eniIds: ReadonlyArray<string>;
  /** ENIs of interface type `trunk`: their branch ENIs are not listed and were not cut. */
  readonly trunkEniIds?: ReadonlyArray<string>;
  readonly quarantineGroupId: string;
  readonly forensicCidrs: ReadonlyArray<string>;
  readonly naclEntries: ReadonlyArray<NaclEntry>;
  readonly denyPolicy?: QuarantineDeny;
}

export interface Verification {
  readonly verified: boolean;
  readonly mismatches: ReadonlyArray<string>;
  /** Proof of revocation: what the instance's role session may still do ("credentials: 0 of N ..."). */
  readonly credentials?: CredentialCheck;
}

/**
 * Re-reads what isolation changed and compares it with the plan. "Isolated, verified" is only recorded
 * when AWS reports exactly the intended state; any difference is an alarm in the ledger.
 *
 * The Describe calls are eventually consistent, so a change made a moment ago can still read stale: a
 * mismatch is re-read with backoff before it becomes an alarm, and a just-created group or an ENI that
 * answers NotFound is retried. https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 */
export async function verifyIsolation(
  c: { ec2: EC2Client; iam: IAMClient },
  f: IsolationPlanFacts,
  o: BackoffOptions = {},
): Promise<Verification> {
  // Topology, not propagation: read once, alongside, and never re-read.
  const [v, uncut] = await Promise.all([
    rereadUntil(
      () => verifyOnce(c, f, o),
      (x) => x.verified,
      o,
    ),
    uncutTrackedPaths(c.ec2, f.vpcId, f.subnetIds ?? []),
  ]);
  const mismatches = [...v.mismatches, ...uncut];
  return { ...v, verified: mismatches.length === 0, mismatches };
}

async function verifyOnce(
  c: { ec2: EC2Client; iam: IAMClient },
  f: IsolationPlanFacts,
  o: BackoffOptions,
): Promise<Verification> {
  const mismatches: string[] = [];
  const visible = <T>(code: string, call: () => Promise<T>) => retryWhileNotVisible([code], call, o);
  const [enis, group, assoc, nacl, policy, credentials] = await Promise.all([
    visible(NOT_YET_VISIBLE.networkInterface, () =>
      c.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [...f.eniIds] })),
    ),
    visible(NOT_YET_VISIBLE.group, () =>
      c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [f.quarantineGroupId] })),
    ),
    c.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [f.instanceId] },
          { Name: 'state', Values: ['associated', 'associating'] },
        ],
      }),
    ),
    f.naclEntries.length === 0 ? Promise.resolve([]) : readNetworkAcls(c.ec2, f.vpcId),
    f.denyPolicy === undefined ? Promise.resolve([]) : quarantineDenyMismatches(c.iam, f.denyPolicy),
    f.denyPolicy === undefined ? Promise.resolve(undefined) : checkCredentials(c.iam, f.denyPolicy),
  ]);
  for (const eni of enis.NetworkInterfaces ?? []) {
    const ids = (eni.Groups ?? []).map((g) => g.GroupId);
    if (ids.length !== 1 || ids[0] !== f.quarantineGroupId) {
      mismatches.push(
        `${eni.NetworkInterfaceId} has groups ${ids.join(',')}, expected ${f.quarantineGroupId}`,
      );
    }
  }
  const sg = group.SecurityGroups?.[0];
  if ((sg?.IpPermissionsEgress ?? []).length > 0) mismatches.push(`${f.quarantineGroupId} allows egress`);
  for (const p of sg?.IpPermissions ?? []) {
    const sources = [
      ...(p.IpRanges ?? []).map((r) => r.CidrIp),
      ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
    ];
    const forensic = p.IpProtocol === 'tcp' && p.FromPort === 22 && p.ToPort === 22;
    if (
      !forensic ||
      (p.UserIdGroupPairs ?? []).length > 0 ||
      sources.some((s) => !f.forensicCidrs.includes(s ?? ''))
    ) {
      mismatches.push(`${f.quarantineGroupId} allows ingress ${p.IpProtocol} from ${sources.join(',')}`);
    }
  }
  if ((assoc.IamInstanceProfileAssociations ?? []).length > 0)
    mismatches.push('an instance profile is still associated');
  const denies = existingEntries(nacl, [...new Set(f.naclEntries.map((e) => e.cidr))]);
  for (const e of f.naclEntries) {
    const found = denies.some(
      (n) => n.networkAclId === e.networkAclId && n.egress === e.egress && n.cidr === e.cidr,
    );
    if (!found)
      mismatches.push(`NACL ${e.networkAclId} lacks deny ${e.egress ? 'egress' : 'ingress'} ${e.cidr}`);
  }
  // A deny that an allow with a lower number matches first never acts: present is not enough.
  // https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
  mismatches.push(...denyOrderProblems(nacl, f.naclEntries));
  // Branch ENIs (EKS security groups for pods, ECS awsvpc trunking) hang off a trunk ENI, are not listed
  // by DescribeInstances and keep their own groups: the cut cannot say it reached them.
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterface.html
  for (const id of f.trunkEniIds ?? [])
    mismatches.push(
      `${id} is a trunk interface: its branch interfaces (pods, tasks) are not listed by DescribeInstances ` +
        'and keep their own security groups and addresses',
    );
  mismatches.push(...policy);
  if (credentials !== undefined) mismatches.push(...credentialMismatches(credentials));
  return {
    verified: mismatches.length === 0,
    mismatches,
    ...(credentials === undefined ? {} : { credentials }),
  };
}
