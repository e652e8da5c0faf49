import { AttachInstancesCommand } from '@aws-sdk/client-auto-scaling';
import {
  AssociateIamInstanceProfileCommand,
  DeleteTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  ModifyInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import * as z from 'zod/mini';
import type { IsolationClients, LedgerClients } from '../clients';
import { LedgerError, parseOrThrow, RefusedError } from '../errors';
import { getQuarantine, releaseLock, updateQuarantine } from '../ledger/ledger';
import type { QuarantineRecord } from '../ledger/record';
import { requestIdsOf } from '../request-ids';
import { QuarantineId, Reason } from '../schemas/ids';
import { action } from './engine-config';
import { restoreNetwork } from './isolate-network';
import { type NaclEntry, removeNaclEntries } from './nacl-deny';
import { incidentTags, type Protection } from './protect-instance';
import { changeQuarantinedInstances, type QuarantineDeny } from './quarantined-policy';
import { type AttachmentsState, targetDescription } from './service-attachments';
import type { EniState } from './target-instance';

/**
 * A request to release a quarantine.
 * @example { "quarantineId": "q-3f1c...", "reason": "false positive: pentest", "actor": "arn:aws:iam::123456789012:user/alice" }
 */
export const ReleaseRequest = z.object({
  quarantineId: QuarantineId,
  reason: Reason,
  actor: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** Release before the evidence is sealed. Needs the reason to say why. */
  force: z._default(z.boolean(), false),
  /** Put the instance back into its Auto Scaling group and target groups. Off by default. */
  reattach: z._default(z.boolean(), false),
});
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;

const RELEASABLE = ['isolated', 'evidence_pending', 'evidence_sealed', 'failed', 'releasing'] as const;

/**
 * Undoes isolation from the recorded pre-state. Never touches evidence: no snapshot, image or manifest is
 * read, changed or deleted here. Each call is idempotent, so a failed release can simply be repeated.
 */
export async function release(
  c: IsolationClients,
  l: LedgerClients,
  input: unknown,
): Promise<QuarantineRecord> {
  const parsed = parseOrThrow(ReleaseRequest, input);
  const r = parsed;
  const rec = await getQuarantine(l, r.quarantineId);
  if (rec === undefined) throw new LedgerError(`quarantine ${r.quarantineId} not found`);
  try {
    if (!(RELEASABLE as ReadonlyArray<string>).includes(rec.state)) {
      throw new RefusedError(
        `quarantine ${r.quarantineId} is ${rec.state}; it cannot be released now`,
        'NOT_QUARANTINED',
      );
    }
    if (rec.state !== 'evidence_sealed' && !r.force) {
      throw new RefusedError(
        `evidence of ${r.quarantineId} is not sealed (state ${rec.state}); pass force with a reason to release anyway`,
        'EVIDENCE_NOT_SEALED',
      );
    }
    // Conditional on the state: if isolation moved the record on since it was read (a retry racing this
    // release), the release is refused rather than undoing a half-applied isolation.
    await updateQuarantine(l, r.quarantineId, {
      state: 'releasing',
      fromStates: RELEASABLE,
      actions: [
        action(r.actor, 'release-requested', 'ok', {
          reason: r.reason,
          force: r.force,
          fromState: rec.state,
        }),
      ],
    });
  } catch (err) {
    if (!(err instanceof RefusedError || err instanceof LedgerError)) throw err;
    // Who asked, and why it was refused, is part of the record too.
    await updateQuarantine(l, r.quarantineId, {
      actions: [action(r.actor, 'release-refused', 'refused', { reason: r.reason, message: err.message })],
    }).catch(() => undefined);
    throw err instanceof RefusedError
      ? err
      : new RefusedError(err.message, 'NOT_QUARANTINED', { cause: err });
  }
  const ids = await undo(c, rec, r.reattach);
  await releaseLock(l, r.quarantineId, rec.instance, {
    state: 'released',
    fromStates: ['releasing'],
    actions: [action(r.actor, 'release', 'ok', { reason: r.reason, reattached: r.reattach }, ids)],
  });
  const done = await getQuarantine(l, r.quarantineId);
  if (done === undefined) throw new LedgerError(`quarantine ${r.quarantineId} vanished`);
  return done;
}

async function undo(c: IsolationClients, rec: QuarantineRecord, reattach: boolean): Promise<string[]> {
  const instanceId = rec.instance.instanceId;
  const network = rec.preState.network as { enis: EniState[] } | undefined;
  const att = rec.preState.attachments as AttachmentsState | undefined;
  const creds = rec.changes.credentials as QuarantineDeny | undefined;
  const nacl = (rec.changes.naclEntries as NaclEntry[] | undefined) ?? [];
  // Only what isolation changed is restored: a protection it skipped (termination protection on Spot)
  // or AWS refused is left alone. Records written before this was recorded restore both attributes.
  const protection = rec.changes.protection as Partial<Record<Protection, boolean>> | undefined;
  const restore = (p: Protection) =>
    att !== undefined && (protection === undefined || protection[p] === true);
  const ids: string[] = [];
  const keep = (r: { $metadata?: { requestId?: string } }) => {
    ids.push(...requestIdsOf(r));
  };
  await Promise.all([
    network === undefined ? undefined : restoreNetwork(c.ec2, network.enis).then((x) => ids.push(...x)),
    removeNaclEntries(c.ec2, nacl),
    // Only this instance leaves the account's deny policy. The policy stays attached to the role: it
    // denies nothing to an instance it does not list, and detaching it could race with a quarantine of
    // another instance of the same role that has just attached it.
    creds === undefined
      ? undefined
      : changeQuarantinedInstances(c.iam, creds.policyArn, { remove: creds.instanceArn }).then((w) =>
          ids.push(...w.requestIds),
        ),
    att?.profileAssociation === undefined
      ? undefined
      : reassociate(c, instanceId, att.profileAssociation.instanceProfileArn).then((x) => ids.push(...x)),
    att === undefined || !restore('disableApiTermination')
      ? undefined
      : c.ec2
          .send(
            new ModifyInstanceAttributeCommand({
              InstanceId: instanceId,
              DisableApiTermination: { Value: att.disableApiTermination },
            }),
          )
          .then(keep),
    att === undefined || !restore('shutdownBehavior')
      ? undefined
      : c.ec2
          .send(
            new ModifyInstanceAttributeCommand({
              InstanceId: instanceId,
              InstanceInitiatedShutdownBehavior: { Value: att.shutdownBehavior },
            }),
          )
          .then(keep),
    c.ec2
      .send(
        new DeleteTagsCommand({
          Resources: [instanceId],
          Tags: incidentTags(rec.quarantineId, rec.incidentId).map((t) => ({ Key: t.Key })),
        }),
      )
      .then(keep),
  ]);
  if (reattach && att !== undefined) {
    await Promise.all([
      att.autoScalingGroup === undefined
        ? undefined
        : c.autoscaling
            .send(
              new AttachInstancesCommand({
                AutoScalingGroupName: att.autoScalingGroup,
                InstanceIds: [instanceId],
              }),
            )
            .then(keep),
      ...att.targets.map((t) =>
        c.elbv2
          .send(
            new RegisterTargetsCommand({
              TargetGroupArn: t.targetGroupArn,
              Targets: [targetDescription(t, instanceId)],
            }),
          )
          .then(keep),
      ),
    ]);
  }
  return ids;
}

/** Puts the original profile back unless one is already associated (a repeated release). */
async function reassociate(c: IsolationClients, instanceId: string, arn: string): Promise<string[]> {
  const current = await c.ec2.send(
    new DescribeIamInstanceProfileAssociationsCommand({
      Filters: [
        { Name: 'instance-id', Values: [instanceId] },
        { Name: 'state', Values: ['associated', 'associating'] },
      ],
    }),
  );
  if ((current.IamInstanceProfileAssociations ?? []).length > 0) return [];
  const r = await c.ec2.send(
    new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Arn: arn } }),
  );
  return requestIdsOf(r);
}
