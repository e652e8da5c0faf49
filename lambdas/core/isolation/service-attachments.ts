import { DescribeAutoScalingInstancesCommand, DetachInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IsolationClients } from '../clients';
import { awsErrorName } from '../errors';
import { requestIdsOf } from '../request-ids';
import type { TargetInstance } from './target-instance';

/**
 * One registration of the instance in a target group, as DescribeTargetHealth reports it: by instance id
 * (`id` absent) or, in an `ip` target group, by one of its addresses, with the port and Availability Zone
 * it was registered with, so release registers exactly it again.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
 */
export interface RegisteredTarget {
  readonly targetGroupArn: string;
  readonly id?: string;
  readonly port?: number;
  readonly availabilityZone?: string;
}

/** The TargetDescription that names this registration (Deregister/RegisterTargets). */
export function targetDescription(t: RegisteredTarget, instanceId: string) {
  return {
    Id: t.id ?? instanceId,
    ...(t.port === undefined ? {} : { Port: t.port }),
    ...(t.availabilityZone === undefined ? {} : { AvailabilityZone: t.availabilityZone }),
  };
}

/** Everything besides the network that isolation changes and release restores. */
export interface AttachmentsState {
  readonly profileAssociation?: { readonly associationId: string; readonly instanceProfileArn: string };
  readonly autoScalingGroup?: string;
  readonly targets: ReadonlyArray<RegisteredTarget>;
  readonly disableApiTermination: boolean;
  readonly disableApiStop: boolean;
  readonly shutdownBehavior: string;
}

/** Reads the attachments in parallel; none of these reads depends on the network cut. */
export async function captureAttachments(c: IsolationClients, t: TargetInstance): Promise<AttachmentsState> {
  const attr = (
    Attribute: 'disableApiTermination' | 'disableApiStop' | 'instanceInitiatedShutdownBehavior',
  ) => c.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: t.instanceId, Attribute }));
  const [assoc, asg, targets, term, stop, shutdown] = await Promise.all([
    c.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [
          { Name: 'instance-id', Values: [t.instanceId] },
          { Name: 'state', Values: ['associated'] },
        ],
      }),
    ),
    c.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [t.instanceId] })),
    findTargets(c.elbv2, t),
    attr('disableApiTermination'),
    attr('disableApiStop').catch(() => undefined),
    attr('instanceInitiatedShutdownBehavior'),
  ]);
  const a = assoc.IamInstanceProfileAssociations?.[0];
  const group = asg.AutoScalingInstances?.[0]?.AutoScalingGroupName;
  return {
    ...(a?.AssociationId === undefined || a.IamInstanceProfile?.Arn === undefined
      ? {}
      : {
          profileAssociation: {
            associationId: a.AssociationId,
            instanceProfileArn: a.IamInstanceProfile.Arn,
          },
        }),
    ...(group === undefined ? {} : { autoScalingGroup: group }),
    targets,
    disableApiTermination: term.DisableApiTermination?.Value ?? false,
    disableApiStop: stop?.DisableApiStop?.Value ?? false,
    shutdownBehavior: shutdown.InstanceInitiatedShutdownBehavior?.Value ?? 'stop',
  };
}

/**
 * Registrations of the instance in the target groups of its VPC: by instance id in `instance` groups, by
 * any of its ENIs' addresses in `ip` groups (the target Id of an `ip` group is an IP address).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
 */
async function findTargets(
  elbv2: ElasticLoadBalancingV2Client,
  t: TargetInstance,
): Promise<RegisteredTarget[]> {
  const groups: Array<{ arn: string; ip: boolean }> = [];
  for await (const page of paginateDescribeTargetGroups({ client: elbv2 }, {})) {
    for (const g of page.TargetGroups ?? []) {
      if (g.VpcId !== t.vpcId || g.TargetGroupArn === undefined) continue;
      if (g.TargetType === 'instance' || g.TargetType === 'ip')
        groups.push({ arn: g.TargetGroupArn, ip: g.TargetType === 'ip' });
    }
  }
  const addresses = new Set(t.enis.flatMap((e) => [...e.privateIpv4, ...e.ipv6]));
  const health = await Promise.all(
    groups.map((g) =>
      elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: g.arn })).then((r) => ({ ...g, r })),
    ),
  );
  return health.flatMap(({ arn, ip, r }) =>
    (r.TargetHealthDescriptions ?? [])
      .filter((d) => (ip ? addresses.has(d.Target?.Id ?? '') : d.Target?.Id === t.instanceId))
      .map((d) => ({
        targetGroupArn: arn,
        ...(ip && d.Target?.Id !== undefined ? { id: d.Target.Id } : {}),
        ...(d.Target?.Port === undefined ? {} : { port: d.Target.Port }),
        ...(ip && d.Target?.AvailabilityZone !== undefined
          ? { availabilityZone: d.Target.AvailabilityZone }
          : {}),
      })),
  );
}

/**
 * Takes the instance out of service. The Auto Scaling group must not terminate it (evidence), so it is
 * detached, with a replacement launched (desired capacity kept) so the service stays up.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-detach-attach-instances.html
 */
export async function detachFromService(
  c: Pick<IsolationClients, 'autoscaling' | 'elbv2'>,
  instanceId: string,
  s: AttachmentsState,
): Promise<string[]> {
  const group = s.autoScalingGroup;
  const detach = async () => {
    if (group === undefined) return [];
    try {
      const r = await c.autoscaling.send(
        new DetachInstancesCommand({
          AutoScalingGroupName: group,
          InstanceIds: [instanceId],
          ShouldDecrementDesiredCapacity: false,
        }),
      );
      return requestIdsOf(r);
    } catch (err) {
      // Already detached (a retry): AWS answers ValidationError "... is not part of Auto Scaling group ...".
      if (awsErrorName(err) === 'ValidationError' && /not part of/i.test(String((err as Error).message)))
        return [];
      throw err;
    }
  };
  // The targets were read from DescribeTargetHealth before any change, so InvalidTarget on a retry means
  // this instance is already deregistered (the goal state), not that the request was wrong.
  const deregister = s.targets.map((t) =>
    c.elbv2
      .send(
        new DeregisterTargetsCommand({
          TargetGroupArn: t.targetGroupArn,
          Targets: [targetDescription(t, instanceId)],
        }),
      )
      .then(
        (r) => requestIdsOf(r),
        (err: unknown) => {
          if (['InvalidTarget', 'InvalidTargetException'].includes(awsErrorName(err) ?? '')) return [];
          throw err;
        },
      ),
  );
  const ids = (await Promise.all([detach(), ...deregister])).flat();
  return ids;
}
