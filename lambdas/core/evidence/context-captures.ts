import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  GetConsoleOutputCommand,
  GetConsoleScreenshotCommand,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import { globalEventsRegion, lookupUserEvents } from './cloudtrail-capture';
import type { EvidenceConfig } from './config';
import type { loadRecord } from './evidence-record';

export interface ContextClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  /** CloudTrail in the instance's Region. */
  readonly cloudtrail: CloudTrailClient;
  /**
   * CloudTrail in the Region holding global service events (globalEventsRegion), when that is not the
   * instance's Region: the attacker's IAM and STS calls are recorded only there.
   */
  readonly globalCloudTrail?: CloudTrailClient;
  readonly s3: S3Client;
}

type Facts = { instanceProfileArn?: string };
type Network = { enis?: { eniId: string; groupIds: string[] }[] };

/** The context captures, each a function of the record returning the object's body and extension. */
export function captures(c: ContextClients, r: Awaited<ReturnType<typeof loadRecord>>, cfg: EvidenceConfig) {
  const instanceId = r.instance.instanceId;
  const network = (r.preState.network ?? {}) as Network;
  const json = (v: unknown) => ({ body: Buffer.from(JSON.stringify(v, null, 2)), ext: 'json' });
  return {
    request: async () =>
      json({
        trigger: r.trigger,
        reason: r.reason,
        incidentId: r.incidentId,
        options: r.options,
        receivedAt: r.createdAt,
      }),
    'pre-isolation-state': async () => json(r.preState),
    'describe-instance': async () =>
      json(await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))),
    'network-interfaces': async () =>
      json(
        await c.ec2.send(
          new DescribeNetworkInterfacesCommand({
            NetworkInterfaceIds: (network.enis ?? []).map((e) => e.eniId),
          }),
        ),
      ),
    // The instance's original groups, which isolation detached but never changes.
    'security-groups': async () =>
      json(
        await c.ec2.send(
          new DescribeSecurityGroupsCommand({
            GroupIds: [...new Set((network.enis ?? []).flatMap((e) => e.groupIds))],
          }),
        ),
      ),
    'iam-role': async () => {
      const arn = (r.preState.instance as Facts | undefined)?.instanceProfileArn;
      if (arn === undefined) return json({ instanceProfile: null });
      const profile = await c.iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: arn.split('/').at(-1) }),
      );
      const roles = await Promise.all(
        (profile.InstanceProfile?.Roles ?? []).map(async (role) => {
          const names = await c.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }));
          const inline = await Promise.all(
            (names.PolicyNames ?? []).map((PolicyName) =>
              c.iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName })),
            ),
          );
          const attached = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
          return {
            role,
            inline: inline.map((p) => ({
              name: p.PolicyName,
              document: decodeURIComponent(p.PolicyDocument ?? ''),
            })),
            attached: attached.AttachedPolicies,
          };
        }),
      );
      return json({ instanceProfile: profile.InstanceProfile?.Arn, roles });
    },
    'console-output': async () => {
      const out = await c.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true }));
      return { body: Buffer.from(out.Output ?? '', 'base64'), ext: 'txt' };
    },
    'console-screenshot': async () => {
      const shot = await c.ec2.send(
        new GetConsoleScreenshotCommand({ InstanceId: instanceId, WakeUp: false }),
      );
      return { body: Buffer.from(shot.ImageData ?? '', 'base64'), ext: 'jpg' };
    },
    // EC2 role credentials are issued to a session named after the instance id; its IAM and STS calls
    // are recorded in the global-events Region, the rest in the instance's (cloudtrail-capture.ts).
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
    cloudtrail: async () => {
      const EndTime = new Date();
      const StartTime = new Date(EndTime.getTime() - cfg.cloudTrailWindowHours * 3_600_000);
      const here = { region: r.instance.region, client: c.cloudtrail };
      const global = globalEventsRegion(r.instance.region);
      const lookups =
        c.globalCloudTrail === undefined || global === here.region
          ? [here]
          : [here, { region: global, client: c.globalCloudTrail }];
      return json(await lookupUserEvents(lookups, instanceId, { StartTime, EndTime }));
    },
  } as const;
}
