import { CreateTagsCommand, type EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { awsErrorName } from '../errors';
import { requestIdsOf } from '../request-ids';

export const TAG_PREFIX = 'sequester:';
export const incidentTags = (quarantineId: string, incidentId: string) => [
  { Key: `${TAG_PREFIX}quarantine-id`, Value: quarantineId },
  { Key: `${TAG_PREFIX}incident`, Value: incidentId },
  { Key: `${TAG_PREFIX}state`, Value: 'quarantined' },
];

export type Protection = 'disableApiTermination' | 'shutdownBehavior' | 'tags';

/** What protection did: release restores only what `applied` says was changed. */
export interface ProtectionResult {
  readonly applied: Readonly<Record<Protection, boolean>>;
  /** Protections that do not apply to this instance, with why. */
  readonly skipped: Readonly<Partial<Record<Protection, string>>>;
  /** Protections AWS refused, with its answer: an alarm in the record, never a failed quarantine. */
  readonly failed: Readonly<Partial<Record<Protection, string>>>;
  readonly requestIds: ReadonlyArray<string>;
}

/**
 * "You can't enable termination protection for Spot Instances."
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_ChangingDisableAPITermination.html
 */
export const SPOT_NO_TERMINATION_PROTECTION =
  'termination protection cannot be enabled on a Spot Instance (EC2 ModifyInstanceAttribute)';

/**
 * Keeps the evidence alive: termination protection on, and a shutdown from inside the instance stops it
 * instead of terminating it. Each attribute needs its own ModifyInstanceAttribute call.
 *
 * Protection helps the evidence but must never block it: each call is settled on its own and a refusal
 * is reported, not thrown, so the workflow still goes on to the snapshots. A Spot Instance gets no
 * termination protection (AWS refuses it); its shutdown behaviour is still asked for, since the docs do
 * not say it is refused, and AWS's answer is recorded if it is.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_ChangingInstanceInitiatedShutdownBehavior.html
 */
export async function protectInstance(
  ec2: EC2Client,
  target: { readonly instanceId: string; readonly lifecycle?: string },
  quarantineId: string,
  incidentId: string,
): Promise<ProtectionResult> {
  const { instanceId } = target;
  const skipped: Partial<Record<Protection, string>> = {};
  if (target.lifecycle === 'spot') skipped.disableApiTermination = SPOT_NO_TERMINATION_PROTECTION;
  const calls: Array<[Protection, () => Promise<{ $metadata?: { requestId?: string } }>]> = [
    [
      'shutdownBehavior',
      () =>
        ec2.send(
          new ModifyInstanceAttributeCommand({
            InstanceId: instanceId,
            InstanceInitiatedShutdownBehavior: { Value: 'stop' },
          }),
        ),
    ],
    [
      'tags',
      () =>
        ec2.send(
          new CreateTagsCommand({ Resources: [instanceId], Tags: incidentTags(quarantineId, incidentId) }),
        ),
    ],
  ];
  if (skipped.disableApiTermination === undefined)
    calls.push([
      'disableApiTermination',
      () =>
        ec2.send(
          new ModifyInstanceAttributeCommand({
            InstanceId: instanceId,
            DisableApiTermination: { Value: true },
          }),
        ),
    ]);
  const settled = await Promise.all(
    calls.map(([p, call]) =>
      call().then(
        (r) => ({ p, ok: true as const, r }),
        (e: unknown) => ({ p, ok: false as const, e }),
      ),
    ),
  );
  const applied: Record<Protection, boolean> = {
    disableApiTermination: false,
    shutdownBehavior: false,
    tags: false,
  };
  const failed: Partial<Record<Protection, string>> = {};
  const requestIds: string[] = [];
  for (const s of settled) {
    if (s.ok) {
      applied[s.p] = true;
      requestIds.push(...requestIdsOf(s.r));
    } else {
      const message = s.e instanceof Error ? s.e.message : String(s.e);
      failed[s.p] = `${awsErrorName(s.e) ?? 'Error'}: ${message}`;
    }
  }
  return { applied, skipped, failed, requestIds };
}
