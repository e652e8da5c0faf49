import { type EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { NOT_YET_VISIBLE, retryWhileNotVisible } from '../eventual-consistency';
import { requestIdsOf } from '../request-ids';
import type { QuarantineGroups } from './quarantine-groups';
import type { EniState } from './target-instance';

export interface NetworkCutResult {
  readonly cutAt: Date;
  readonly requestIds: ReadonlyArray<string>;
  readonly eniIds: ReadonlyArray<string>;
}

/**
 * Cuts the instance off in two swaps of every ENI's groups, done in parallel across ENIs.
 *
 * A plain swap to an empty group leaves established connections open because they are tracked.
 * Moving first to a group that allows all traffic both ways makes TCP/UDP flows untracked, and the
 * second swap then stops them at once.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html
 *
 * ModifyNetworkInterfaceAttribute is used per ENI because ModifyInstanceAttribute's Groups parameter only
 * works on instances with a single network interface.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
 *
 * Nothing runs between the two swaps: the all-traffic window lasts one round trip.
 */
export async function cutNetwork(
  ec2: EC2Client,
  enis: ReadonlyArray<EniState>,
  groups: Pick<QuarantineGroups, 'untrackedGroupId' | 'quarantineGroupId'> &
    Partial<Pick<QuarantineGroups, 'created'>>,
): Promise<NetworkCutResult> {
  // ENI ids were just read from DescribeInstances, and groups this run created may not have propagated:
  // for those, NotFound means "not visible yet" and is retried with backoff.
  // https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
  const notYetVisible = (groupId: string) => [
    NOT_YET_VISIBLE.networkInterface,
    ...((groups.created ?? []).includes(groupId) ? [NOT_YET_VISIBLE.group] : []),
  ];
  const pending = enis.filter(
    (e) => !(e.groupIds.length === 1 && e.groupIds[0] === groups.quarantineGroupId),
  );
  const requestIds: string[] = [];
  const swap = async (groupId: string) => {
    const results = await Promise.all(
      pending.map((e) =>
        retryWhileNotVisible(notYetVisible(groupId), () =>
          ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.eniId, Groups: [groupId] }),
          ),
        ),
      ),
    );
    requestIds.push(...requestIdsOf(...results));
  };
  await swap(groups.untrackedGroupId);
  await swap(groups.quarantineGroupId);
  return { cutAt: new Date(), requestIds, eniIds: pending.map((e) => e.eniId) };
}

/** Release: every ENI back to the groups it had before quarantine. */
export async function restoreNetwork(ec2: EC2Client, enis: ReadonlyArray<EniState>): Promise<string[]> {
  const results = await Promise.all(
    enis.map((e) =>
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.eniId, Groups: [...e.groupIds] }),
      ),
    ),
  );
  return requestIdsOf(...results);
}
