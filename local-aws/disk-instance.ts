import {
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { MOTO_AMI } from './scenario';

/**
 * The smallest instance the evidence tests need: its own VPC and subnet, one root volume of
 * `rootVolumeGiB` (1 GiB, the EBS minimum, by default), encrypted with `kmsKeyId` when given (its
 * snapshots then need that key to be read). Seed its bytes with ebs-bridge/seed.ts.
 */
export async function launchDiskInstance(
  ec2: EC2Client,
  o: { cidr?: string; rootVolumeGiB?: number; kmsKeyId?: string } = {},
): Promise<{ instanceId: string; volumeId: string }> {
  const cidr = o.cidr ?? '10.40.0.0/16';
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const subnet = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: cidr.replace(/\.0\.0\/16$/, '.1.0/24') }),
  );
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: MOTO_AMI,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnet.Subnet?.SubnetId,
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: {
            VolumeSize: o.rootVolumeGiB ?? 1,
            ...(o.kmsKeyId === undefined ? {} : { Encrypted: true, KmsKeyId: o.kmsKeyId }),
          },
        },
      ],
    }),
  );
  const instance = run.Instances?.[0];
  return {
    instanceId: instance?.InstanceId ?? '',
    volumeId: instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? '',
  };
}
