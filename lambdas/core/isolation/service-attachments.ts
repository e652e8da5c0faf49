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

/** Everything besides the network that isolation changes and release restores. */
export interface AttachmentsState {
  readonly profileAssociation?: { readonly associationId: string; readonly instanceProfileArn: string };
  readonly autoScalingGroup?: string;
  readonly targets: ReadonlyArray<{ readonly targetGroupArn: string; readonly port?: number }>;
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

/** Target groups of the instance's VPC that have it registered (instance target type). */
async function findTargets(elbv2: ElasticLoadBalancingV2Client, t: TargetInstance) {
  const groups: string[] = [];
  for await (const page of paginateDescribeTargetGroups({ client: elbv2 }, {})) {
    for (const g of page.TargetGroups ?? []) {
      if (g.VpcId === t.vpcId && g.TargetType === 'instance' && g.TargetGroupArn !== undefined)
        groups.push(g.TargetGroupArn);
    }
  }
  const health = await Promise.all(
    groups.map((arn) =>
      elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })).then((r) => ({ arn, r })),
    ),
  );
  return health.flatMap(({ arn, r }) =>
    (r.TargetHealthDescriptions ?? [])
      .filter((d) => d.Target?.Id === t.instanceId)
      .map((d) => ({
        targetGroupArn: arn,
        ...(d.Target?.Port === undefined ? {} : { port: d.Target.Port }),
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
          Targets: [{ Id: instanceId, ...(t.port === undefined ? {} : { Port: t.port }) }],
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
