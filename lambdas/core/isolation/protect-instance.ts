import { CreateTagsCommand, type EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { requestIdsOf } from '../request-ids';

export const TAG_PREFIX = 'sequester:';
export const incidentTags = (quarantineId: string, incidentId: string) => [
  { Key: `${TAG_PREFIX}quarantine-id`, Value: quarantineId },
  { Key: `${TAG_PREFIX}incident`, Value: incidentId },
  { Key: `${TAG_PREFIX}state`, Value: 'quarantined' },
];

/**
 * Keeps the evidence alive: termination protection on, and a shutdown from inside the instance stops it
 * instead of terminating it. Each attribute needs its own ModifyInstanceAttribute call.
 */
export async function protectInstance(
  ec2: EC2Client,
  instanceId: string,
  quarantineId: string,
  incidentId: string,
): Promise<string[]> {
  const results = await Promise.all([
    ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: true } }),
    ),
    ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: instanceId,
        InstanceInitiatedShutdownBehavior: { Value: 'stop' },
      }),
    ),
    ec2.send(
      new CreateTagsCommand({ Resources: [instanceId], Tags: incidentTags(quarantineId, incidentId) }),
    ),
  ]);
  return requestIdsOf(...results);
}
