import type { IsolationClients } from '../clients';
import { StepFailedError } from '../errors';
import type { LedgerAction, QuarantineRecord } from '../ledger/record';
import type { QuarantineRequest } from '../schemas/quarantine-request';
import { action } from './engine-config';
import { denyInNetworkAcls, type NaclEntry, naclDenySkipReason } from './nacl-deny';
import { protectInstance } from './protect-instance';
import type { QuarantineDeny } from './quarantined-policy';
import { revokeCredentials } from './revoke-credentials';
import { type AttachmentsState, detachFromService } from './service-attachments';
import type { TargetInstance } from './target-instance';
import type { IsolationPlanFacts } from './verify-isolation';

export interface SideStepsResult {
  readonly actions: ReadonlyArray<LedgerAction>;
  readonly changes: Record<string, unknown>;
  readonly facts: Omit<IsolationPlanFacts, 'quarantineGroupId' | 'forensicCidrs'>;
  /** The first step that failed; the others still ran and are recorded. */
  readonly failed?: StepFailedError;
}

/**
 * Steps 4-7 of isolation, run concurrently once the network is cut: credentials, service attachments,
 * protection and tags, network ACL deny entries. Each failure is recorded on its own; a retry repeats
 * only what is not yet in its goal state. A protection failure is an alarm, not a failure: it must
 * never keep the workflow from taking the evidence.
 */
export async function runSideSteps(
  c: IsolationClients,
  t: TargetInstance,
  attachments: AttachmentsState,
  record: QuarantineRecord,
  req: QuarantineRequest,
  actor: string,
): Promise<SideStepsResult> {
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
  const naclSkipped = naclDenySkipReason(req.options);
  const [creds, service, protect, nacl] = await Promise.all([
    settle(revokeCredentials(c, t, attachments)),
    settle(detachFromService(c, t.instanceId, attachments)),
    settle(protectInstance(c.ec2, t, record.quarantineId, record.incidentId)),
    naclSkipped === undefined
      ? settle(denyInNetworkAcls(c.ec2, t.vpcId, t.enis))
      : Promise.resolve(undefined),
  ]);
  const actions: LedgerAction[] = [];
  const changes: Record<string, unknown> = {};
  let failed: StepFailedError | undefined;
  const record1 = (
    step: string,
    r: { ok: true; v: unknown } | { ok: false; e: unknown },
    ok: () => LedgerAction,
  ) => {
    if (r.ok) {
      actions.push(ok());
      return;
    }
    const message = r.e instanceof Error ? r.e.message : String(r.e);
    actions.push(action(actor, step, 'failed', { message }));
    failed ??= new StepFailedError(`${step} failed: ${message}`, step, { cause: r.e });
  };
  record1('revoke-credentials', creds, () => {
    const v = creds.ok ? creds.v : undefined;
    if (v?.policyArn !== undefined)
      changes.credentials = { roleName: v.roleName, policyArn: v.policyArn, instanceArn: v.instanceArn };
    return action(
      actor,
      'revoke-credentials',
      'ok',
      {
        roleName: v?.roleName,
        disassociated: v?.disassociated,
        denyPolicy: v?.policyArn,
        // How full the account's deny policy is, so on-call sees the limit coming.
        listedInstances: v?.listed,
        policyCapacity: v?.capacity,
        knownGap: v?.knownGap,
      },
      v?.requestIds,
    );
  });
  record1('detach-from-service', service, () =>
    action(
      actor,
      'detach-from-service',
      'ok',
      {
        autoScalingGroup: attachments.autoScalingGroup,
        targetGroups: attachments.targets.map((x) => x.targetGroupArn),
        ipTargets: attachments.targets.filter((x) => x.id !== undefined),
      },
      service.ok ? service.v : [],
    ),
  );
  // Protection never fails the quarantine (it would stop the workflow before the snapshots): what AWS
  // refused is an alarm, what does not apply (termination protection on Spot) is recorded as skipped.
  if (protect.ok) {
    const p = protect.v;
    changes.protection = p.applied;
    actions.push(
      action(
        actor,
        'protect-instance',
        Object.keys(p.failed).length > 0 ? 'alarm' : 'ok',
        { applied: p.applied, skipped: p.skipped, failed: p.failed },
        p.requestIds,
      ),
    );
  } else {
    const message = protect.e instanceof Error ? protect.e.message : String(protect.e);
    actions.push(action(actor, 'protect-instance', 'alarm', { message }));
  }
  let naclEntries: ReadonlyArray<NaclEntry> = [];
  if (nacl === undefined) actions.push(action(actor, 'nacl-deny', 'skipped', { reason: naclSkipped }));
  else
    record1('nacl-deny', nacl, () => {
      const v = nacl.ok ? nacl.v : undefined;
      naclEntries = v?.entries ?? [];
      changes.naclEntries = naclEntries;
      return action(
        actor,
        'nacl-deny',
        v !== undefined && (v.full.length > 0 || v.behindAllow.length > 0) ? 'alarm' : 'ok',
        { entries: naclEntries.length, fullAcls: v?.full, behindAllow: v?.behindAllow },
        v?.requestIds,
      );
    });
  const cred = changes.credentials as QuarantineDeny | undefined;
  return {
    actions,
    changes,
    facts: {
      instanceId: t.instanceId,
      vpcId: t.vpcId,
      subnetIds: [...new Set(t.enis.map((e) => e.subnetId))],
      eniIds: t.enis.map((e) => e.eniId),
      trunkEniIds: t.enis.filter((e) => e.interfaceType === 'trunk').map((e) => e.eniId),
      naclEntries,
      ...(cred === undefined ? {} : { denyPolicy: cred }),
    },
    ...(failed === undefined ? {} : { failed }),
  };
}
