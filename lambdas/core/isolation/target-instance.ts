import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsErrorName, RefusedError } from '../errors';
import type { QuarantineRequest } from '../schemas/quarantine-request';

/** One network interface as it was before quarantine: release puts `groupIds` back. */
export interface EniState {
  readonly eniId: string;
  readonly subnetId: string;
  readonly deviceIndex: number;
  readonly groupIds: ReadonlyArray<string>;
  readonly privateIpv4: ReadonlyArray<string>;
  readonly ipv6: ReadonlyArray<string>;
  /**
   * Prefixes delegated to the ENI (EKS pods with prefix delegation): its addresses too. Absent in records
   * written before they were read.
   * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterface.html
   */
  readonly ipv4Prefixes?: ReadonlyArray<string>;
  readonly ipv6Prefixes?: ReadonlyArray<string>;
  /** `interface`, `trunk`, `efa`, ...: a trunk carries branch ENIs that DescribeInstances does not list. */
  readonly interfaceType?: string;
  /**
   * Public IPv4 addresses of the ENI (auto-assigned or Elastic IPs, DescribeInstances'
   * `Association.PublicIp`): calls from them are the instance's own in CloudTrail. Absent in records
   * written before they were read.
   * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceAssociation.html
   */
  readonly publicIpv4?: ReadonlyArray<string>;
}

/** Every address block of an ENI as a CIDR: its addresses (/32, /128) and its delegated prefixes. */
export function eniCidrs(e: EniState): string[] {
  return [
    ...e.privateIpv4.map((ip) => `${ip}/32`),
    ...e.ipv6.map((ip) => `${ip}/128`),
    ...(e.ipv4Prefixes ?? []),
    ...(e.ipv6Prefixes ?? []),
  ];
}

/** What DescribeInstances tells us about the target, captured once, before any change. */
export interface TargetInstance {
  readonly instanceId: string;
  readonly accountId: string;
  readonly region: string;
  readonly instanceArn: string;
  readonly vpcId: string;
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly enis: ReadonlyArray<EniState>;
  readonly volumes: ReadonlyArray<{ readonly volumeId: string; readonly deviceName: string }>;
  readonly instanceProfileArn?: string;
  /** `spot`, `scheduled` or `capacity-block`; absent for On-Demand (DescribeInstances InstanceLifecycle). */
  readonly lifecycle?: string;
  readonly instanceType?: string;
  readonly launchTime?: string;
  readonly requestId?: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Reads the instance in one call. Refuses (changing nothing) if it does not exist or is gone. */
export async function describeTarget(ec2: EC2Client, req: QuarantineRequest): Promise<TargetInstance> {
  const { instanceId, region } = req.instance;
  let res: DescribeInstancesCommandOutput;
  try {
    res = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  } catch (err) {
    if (
      awsErrorName(err) === 'InvalidInstanceID.NotFound' ||
      awsErrorName(err) === 'InvalidInstanceID.Malformed'
    ) {
      throw new RefusedError(`instance ${instanceId} not found in ${region}`, 'NOT_FOUND', { cause: err });
    }
    throw err;
  }
  const reservation = res.Reservations?.[0];
  const instance = reservation?.Instances?.[0];
  if (reservation === undefined || instance === undefined) {
    throw new RefusedError(`instance ${instanceId} not found in ${region}`, 'NOT_FOUND');
  }
  const state = instance.State?.Name ?? 'unknown';
  if (state === 'terminated' || state === 'shutting-down') {
    throw new RefusedError(`instance ${instanceId} is ${state}: nothing left to contain`, 'TERMINATED');
  }
  const accountId = reservation.OwnerId ?? req.instance.accountId ?? '';
  const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  return {
    instanceId,
    accountId,
    region,
    instanceArn: `arn:${partitionOf(region)}:ec2:${region}:${accountId}:instance/${instanceId}`,
    vpcId: instance.VpcId ?? '',
    state,
    tags,
    enis: (instance.NetworkInterfaces ?? [])
      .map((n) => ({
        eniId: n.NetworkInterfaceId ?? '',
        subnetId: n.SubnetId ?? '',
        deviceIndex: n.Attachment?.DeviceIndex ?? 0,
        groupIds: (n.Groups ?? []).map((g) => g.GroupId ?? ''),
        privateIpv4: (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? '').filter(Boolean),
        ipv6: (n.Ipv6Addresses ?? []).map((a) => a.Ipv6Address ?? '').filter(Boolean),
        ipv4Prefixes: (n.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix ?? '').filter(Boolean),
        ipv6Prefixes: (n.Ipv6Prefixes ?? []).map((p) => p.Ipv6Prefix ?? '').filter(Boolean),
        ...(n.InterfaceType === undefined ? {} : { interfaceType: n.InterfaceType }),
        publicIpv4: [
          ...new Set(
            [
              n.Association?.PublicIp,
              ...(n.PrivateIpAddresses ?? []).map((a) => a.Association?.PublicIp),
            ].filter((ip): ip is string => ip !== undefined && ip !== ''),
          ),
        ],
      }))
      .sort((a, b) => a.deviceIndex - b.deviceIndex),
    volumes: (instance.BlockDeviceMappings ?? [])
      .filter((m) => m.Ebs?.VolumeId !== undefined)
      .map((m) => ({ volumeId: m.Ebs?.VolumeId ?? '', deviceName: m.DeviceName ?? '' })),
    ...(instance.IamInstanceProfile?.Arn === undefined
      ? {}
      : { instanceProfileArn: instance.IamInstanceProfile.Arn }),
    ...(instance.InstanceLifecycle === undefined ? {} : { lifecycle: instance.InstanceLifecycle }),
    ...(instance.InstanceType === undefined ? {} : { instanceType: instance.InstanceType }),
    ...(instance.LaunchTime === undefined ? {} : { launchTime: instance.LaunchTime.toISOString() }),
    ...(res.$metadata?.requestId === undefined ? {} : { requestId: res.$metadata.requestId }),
  };
}

/**
 * The exemption tag binds automatic triggers only. A person may override it, and must say why.
 * Throws RefusedError when the instance is exempt and the request may not override it.
 */
export function assertNotExempt(
  target: TargetInstance,
  req: QuarantineRequest,
  exemptionTagKey: string,
): void {
  const value = target.tags[exemptionTagKey];
  if (value === undefined || value.toLowerCase() === 'false') return;
  const human = req.trigger.kind !== 'guardduty';
  if (human && req.options.overrideExemption !== undefined) return;
  throw new RefusedError(
    `instance ${target.instanceId} carries exemption tag ${exemptionTagKey}=${value}` +
      (human ? ': pass overrideExemption with a reason to quarantine it anyway' : ''),
    'EXEMPT',
  );
}
