import { AttachInstancesCommand, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { IsolationClients } from '../lambdas/core/clients';

/** An AMI id moto ships with (Amazon Linux 2 in moto's default AMI list). */
export const MOTO_AMI = 'ami-12c6146b';

export interface Scenario {
  readonly vpcId: string;
  readonly subnetIds: readonly [string, string];
  readonly webGroupId: string;
  readonly adminGroupId: string;
  readonly roleName: string;
  readonly profileArn: string;
  readonly instanceId: string;
  readonly twinId: string;
  readonly asgName?: string;
  readonly targetGroupArn?: string;
  /** With `ipTargetGroup`: an `ip` target group holding both instances' private IPs on port 8443. */
  readonly ipTargetGroupArn?: string;
}

export interface ScenarioOptions {
  /** Second ENI on the compromised instance (a management interface). */
  readonly secondEni?: boolean;
  /** Put the instance into an Auto Scaling group behind a target group. */
  readonly inService?: boolean;
  readonly tags?: Record<string, string>;
  readonly name?: string;
  /** Size of the web instance's root volume (/dev/xvda); moto's default is 8 GiB. */
  readonly rootVolumeGiB?: number;
  /** Launch the web instance as a one-time Spot Instance (DescribeInstances says InstanceLifecycle=spot). */
  readonly spot?: boolean;
  /** Register both instances by private IP in an `ip` target group (as an NLB/ALB in IP mode does). */
  readonly ipTargetGroup?: boolean;
  /** Encrypts the web instance's root volume with this customer-managed KMS key. */
  readonly volumeKmsKeyId?: string;
}

/**
 * A web tier as an attacker finds it: a VPC with two subnets, a web server with its role (shared by a
 * healthy twin), optionally a second ENI, an Auto Scaling group and a target group.
 */
export async function buildScenario(c: IsolationClients, o: ScenarioOptions = {}): Promise<Scenario> {
  const name = o.name ?? 'web';
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  const [s1, s2] = await Promise.all(
    ['10.20.1.0/24', '10.20.2.0/24'].map((CidrBlock) =>
      c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock })),
    ),
  );
  const subnetIds = [s1?.Subnet?.SubnetId ?? '', s2?.Subnet?.SubnetId ?? ''] as const;
  const group = async (GroupName: string, port: number) => {
    const g = await c.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName, Description: GroupName }),
    );
    await c.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: g.GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    return g.GroupId ?? '';
  };
  const [webGroupId, adminGroupId] = await Promise.all([
    group(`${name}-sg`, 443),
    group(`${name}-admin-sg`, 22),
  ]);
  const roleName = `${name}-role`;
  await c.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  await c.iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'read-assets',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::assets/*' }],
      }),
    }),
  );
  const profile = await c.iam.send(
    new CreateInstanceProfileCommand({ InstanceProfileName: `${name}-profile` }),
  );
  await c.iam.send(
    new AddRoleToInstanceProfileCommand({ InstanceProfileName: `${name}-profile`, RoleName: roleName }),
  );
  const profileArn = profile.InstanceProfile?.Arn ?? '';
  const launch = (
    tagName: string,
    extra: Record<string, string>,
    rootGiB?: number,
    spot = false,
    kmsKeyId?: string,
  ) =>
    c.ec2.send(
      new RunInstancesCommand({
        ...(spot
          ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time' } } }
          : {}),
        ...(rootGiB === undefined && kmsKeyId === undefined
          ? {}
          : {
              BlockDeviceMappings: [
                {
                  DeviceName: '/dev/xvda',
                  Ebs: {
                    ...(rootGiB === undefined ? {} : { VolumeSize: rootGiB }),
                    ...(kmsKeyId === undefined ? {} : { Encrypted: true, KmsKeyId: kmsKeyId }),
                  },
                },
              ],
            }),
        ImageId: MOTO_AMI,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetIds[0],
        SecurityGroupIds: [webGroupId],
        IamInstanceProfile: { Arn: profileArn },
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: Object.entries({ Name: tagName, ...extra }).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    );
  const [main, twin] = await Promise.all([
    launch(`${name}-1`, o.tags ?? {}, o.rootVolumeGiB, o.spot, o.volumeKmsKeyId),
    launch(`${name}-2`, {}),
  ]);
  const instanceId = main.Instances?.[0]?.InstanceId ?? '';
  const twinId = twin.Instances?.[0]?.InstanceId ?? '';
  if (o.secondEni === true) {
    const eni = await c.ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: subnetIds[1], Groups: [adminGroupId, webGroupId] }),
    );
    await c.ec2.send(
      new AttachNetworkInterfaceCommand({
        InstanceId: instanceId,
        NetworkInterfaceId: eni.NetworkInterface?.NetworkInterfaceId,
        DeviceIndex: 1,
      }),
    );
  }
  const ipTargetGroupArn =
    o.ipTargetGroup === true
      ? await ipTargetGroup(
          c,
          `${name}-ip-tg`,
          vpcId,
          [main, twin].map((r) => r.Instances?.[0]?.PrivateIpAddress ?? ''),
        )
      : undefined;
  const base = {
    vpcId,
    subnetIds,
    webGroupId,
    adminGroupId,
    roleName,
    profileArn,
    instanceId,
    twinId,
    ...(ipTargetGroupArn === undefined ? {} : { ipTargetGroupArn }),
  };
  if (o.inService !== true) return base;
  const asgName = `${name}-asg`;
  const lt = await c.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: { ImageId: MOTO_AMI, InstanceType: 't3.micro' },
    }),
  );
  await c.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: asgName,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: '$Latest' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 0,
      VPCZoneIdentifier: subnetIds.join(','),
    }),
  );
  await c.autoscaling.send(
    new AttachInstancesCommand({ AutoScalingGroupName: asgName, InstanceIds: [instanceId] }),
  );
  const tg = await c.elbv2.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`,
      Protocol: 'HTTP',
      Port: 443,
      VpcId: vpcId,
      TargetType: 'instance',
    }),
  );
  const targetGroupArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  await c.elbv2.send(
    new RegisterTargetsCommand({
      TargetGroupArn: targetGroupArn,
      Targets: [
        { Id: instanceId, Port: 443 },
        { Id: twinId, Port: 443 },
      ],
    }),
  );
  return { ...base, asgName, targetGroupArn };
}

async function ipTargetGroup(c: IsolationClients, name: string, vpcId: string, ips: ReadonlyArray<string>) {
  const tg = await c.elbv2.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: 'TCP', Port: 8443, VpcId: vpcId, TargetType: 'ip' }),
  );
  const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  await c.elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ips.map((Id) => ({ Id, Port: 8443 })) }),
  );
  return arn;
}
