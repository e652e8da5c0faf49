import { type EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { IsolationClients, LedgerClients } from '../clients';
import { awsErrorName, RefusedError, StepFailedError } from '../errors';
import { actorOf, claimQuarantine, getQuarantine, releaseLock, updateQuarantine } from '../ledger/ledger';
import {
  type LedgerAction,
  type QuarantineRecord,
  type QuarantineState,
  RESUMABLE_STATES,
} from '../ledger/record';
import { requestIdsOf } from '../request-ids';
import { parseQuarantineRequest, type QuarantineRequest } from '../schemas/quarantine-request';
import { action, type EngineConfig, type IsolationHooks, TRACKED_FLOWS_NOTE } from './engine-config';
import { followInstance, type Located } from './follow-instance';
import { cutNetwork } from './isolate-network';
import { type IsolationPlan, planIsolation } from './plan';
import { findOrCreateGroups } from './quarantine-groups';
import type { Described, RegionSearch } from './region-search';
import { type AttachmentsState, captureAttachments } from './service-attachments';
import { runSideSteps } from './side-steps';
import { assertNotExempt, describeTarget, type TargetInstance } from './target-instance';
import { verifyIsolation } from './verify-isolation';

export type QuarantineOutcome =
  | {
      readonly status: 'isolated';
      readonly quarantineId: string;
      readonly verified: boolean;
      readonly mismatches: ReadonlyArray<string>;
      readonly networkCutAt: string;
    }
  | { readonly status: 'joined'; readonly quarantineId: string; readonly state: QuarantineState }
  | {
      readonly status: 'refused';
      readonly quarantineId: string;
      readonly code: RefusedError['code'];
      readonly message: string;
    }
  | { readonly status: 'planned'; readonly plan: IsolationPlan };

/**
 * Quarantines one instance: claims it in the ledger (duplicates join the existing quarantine), then
 * isolates it. The describe call runs alongside the claim so the network cut is four round trips away.
 * `search`: where to look for an instance a credential-exfiltration finding's Region does not have.
 */
export async function quarantine(
  c: IsolationClients,
  l: LedgerClients,
  input: unknown,
  cfg: EngineConfig,
  hooks: IsolationHooks = {},
  search?: RegionSearch,
): Promise<QuarantineOutcome> {
  const req = parseQuarantineRequest(input);
  if (req.options.dryRun) return { status: 'planned', plan: await planIsolation(c, req, cfg) };
  const [claim, described] = await Promise.all([
    claimQuarantine(l, req),
    describeTarget(c.ec2, req).then(
      (t) => ({ ok: true as const, t }),
      (e: unknown) => ({ ok: false as const, e }),
    ),
  ]);
  if (!claim.created)
    return { status: 'joined', quarantineId: claim.record.quarantineId, state: claim.record.state };
  return isolateClaimed(c, l, claim.record, req, cfg, hooks, described, search);
}

/**
 * Resumes a claimed quarantine (a workflow retry): every step checks the current state first. A record
 * that is already isolated or further along is returned as it is, so a repeated task is a no-op. A
 * quarantine moved to its instance's Region (follow-instance.ts) is resumed there: pass clients for
 * `record.instance` as it is now.
 */
export async function isolate(
  c: IsolationClients,
  l: LedgerClients,
  quarantine: string | QuarantineRecord,
  cfg: EngineConfig,
  hooks: IsolationHooks = {},
  search?: RegionSearch,
): Promise<QuarantineOutcome> {
  const record = typeof quarantine === 'string' ? await getQuarantine(l, quarantine) : quarantine;
  if (record === undefined) throw new StepFailedError(`quarantine ${String(quarantine)} not found`, 'load');
  const quarantineId = record.quarantineId;
  if (!RESUMABLE_STATES.includes(record.state)) {
    return { status: 'joined', quarantineId, state: record.state };
  }
  const req = parseQuarantineRequest(record);
  const described = await describeTarget(c.ec2, req).then(
    (t) => ({ ok: true as const, t }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  return isolateClaimed(c, l, record, req, cfg, hooks, described, search);
}

/** Follows the instance to its Region first when its finding's Region does not have it. */
async function isolateClaimed(
  c: IsolationClients,
  l: LedgerClients,
  record: QuarantineRecord,
  req: QuarantineRequest,
  cfg: EngineConfig,
  hooks: IsolationHooks,
  described: Described,
  search: RegionSearch | undefined,
): Promise<QuarantineOutcome> {
  let t: Located;
  try {
    t = await followInstance(l, { clients: c, record, req, described }, search, cfg.responderActor);
  } catch (err) {
    return fail(l, record.quarantineId, cfg.responderActor, 'locate', err);
  }
  return isolateFound(t.clients, l, t.record, t.req, cfg, hooks, t.described);
}

async function isolateFound(
  c: IsolationClients,
  l: LedgerClients,
  record: QuarantineRecord,
  req: QuarantineRequest,
  cfg: EngineConfig,
  hooks: IsolationHooks,
  described: Described,
): Promise<QuarantineOutcome> {
  const id = record.quarantineId;
  const actor = cfg.responderActor;
  try {
    if (!described.ok) throw described.e;
    assertNotExempt(described.t, req, cfg.exemptionTagKey);
  } catch (err) {
    if (!(err instanceof RefusedError)) return fail(l, id, actor, 'describe', err);
    // Every lock the record holds: a moved quarantine also holds its finding's (ledger/record.ts).
    await releaseLock(l, id, record.instance, {
      state: 'refused',
      fromStates: RESUMABLE_STATES,
      actions: [action(actor, 'refuse', 'refused', { code: err.code, message: err.message, ...err.detail })],
    });
    return { status: 'refused', quarantineId: id, code: err.code, message: err.message };
  }
  const t = described.t;
  const stored = record.preState.attachments as AttachmentsState | undefined;
  // Read and recorded alongside the cut, awaited after it: never delays it. Recorded before any step
  // changes them, so release always has the original state (a retry keeps the first recording).
  const captured = captureAttachments(c, t)
    .then(async (v) => {
      if (stored === undefined) await updateQuarantine(l, id, { preState: { attachments: v } });
      return v;
    })
    .then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
  try {
    const override = req.options.overrideExemption;
    const [, groups] = await Promise.all([
      updateQuarantine(l, id, {
        state: 'isolating',
        fromStates: RESUMABLE_STATES,
        preState: { network: { vpcId: t.vpcId, enis: t.enis }, instance: instanceFacts(t) },
        actions: [
          action(
            actor,
            'describe',
            'ok',
            { enis: t.enis.length, volumes: t.volumes.length },
            t.requestId ? [t.requestId] : [],
          ),
          ...(override === undefined
            ? []
            : [action(actorOf(req), 'override-exemption', 'ok', { reason: override.reason })]),
        ],
      }),
      findOrCreateGroups(c.ec2, t.vpcId, req.options.forensicCidrs),
    ]);
    const cut = await cutNetwork(c.ec2, t.enis, groups);
    hooks.onNetworkCut?.(cut.cutAt);
    const recordCut = updateQuarantine(l, id, {
      set: { networkCutAt: cut.cutAt.toISOString() },
      changes: {
        groups: {
          untrackedGroupId: groups.untrackedGroupId,
          quarantineGroupId: groups.quarantineGroupId,
          created: groups.created,
        },
      },
      actions: [
        action(
          actor,
          'network-cut',
          'ok',
          { enis: cut.eniIds, quarantineGroupId: groups.quarantineGroupId, note: TRACKED_FLOWS_NOTE },
          [...groups.requestIds, ...cut.requestIds],
        ),
      ],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const cap = await captured;
    if (!cap.ok) {
      await recordCut;
      throw new StepFailedError('could not read instance attachments', 'capture-attachments', {
        cause: cap.e,
      });
    }
    // Steps 4-7 run while the cut is being recorded; both are awaited before anything is concluded.
    const [cutRecordError, side] = await Promise.all([
      recordCut,
      runSideSteps(c, t, stored ?? cap.v, record, req, actor),
    ]);
    if (cutRecordError !== undefined) throw cutRecordError;
    if (side.failed !== undefined) {
      await updateQuarantine(l, id, {
        state: 'failed',
        fromStates: ['isolating'],
        set: { failure: { step: side.failed.step, message: side.failed.message } },
        changes: side.changes,
        actions: side.actions,
      });
      recorded.add(side.failed);
      throw side.failed;
    }
    const v = await verifyIsolation(c, {
      ...side.facts,
      quarantineGroupId: groups.quarantineGroupId,
      forensicCidrs: req.options.forensicCidrs,
    });
    const stop = req.options.stopInstance ? await stopInstance(c.ec2, t.instanceId, actor) : undefined;
    const isolatedAt = new Date().toISOString();
    await updateQuarantine(l, id, {
      state: 'isolated',
      fromStates: ['isolating'],
      set: { isolatedAt, verification: v },
      changes: side.changes,
      actions: [
        ...side.actions,
        action(actor, 'verify', v.verified ? 'ok' : 'alarm', {
          verified: v.verified,
          mismatches: v.mismatches,
          ...(v.credentials === undefined
            ? {}
            : {
                credentials:
                  v.credentials.status === 'proven'
                    ? v.credentials.summary
                    : `credentials: unknown (${v.credentials.reason})`,
              }),
        }),
        ...(stop === undefined ? [] : [stop]),
      ],
    });
    return {
      status: 'isolated',
      quarantineId: id,
      verified: v.verified,
      mismatches: v.mismatches,
      networkCutAt: cut.cutAt.toISOString(),
    };
  } catch (err) {
    return fail(l, id, actor, err instanceof StepFailedError ? err.step : 'isolate', err);
  }
}

function instanceFacts(t: TargetInstance) {
  const { enis: _enis, requestId: _r, ...facts } = t;
  return facts;
}

/**
 * The optional stop comes after the cut and before the evidence: a refusal is an alarm in the record,
 * never a failed quarantine. AWS refuses to stop a Spot Instance of a one-time request (only persistent
 * requests can be stopped), and answers UnsupportedOperation.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/interruption-behavior.html
 */
async function stopInstance(ec2: EC2Client, instanceId: string, actor: string): Promise<LedgerAction> {
  try {
    const r = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    return action(actor, 'stop-instance', 'ok', {}, requestIdsOf(r));
  } catch (err) {
    const message = `${awsErrorName(err) ?? 'Error'}: ${err instanceof Error ? err.message : String(err)}`;
    return action(actor, 'stop-instance', 'alarm', { message });
  }
}

/** Failures already written to the ledger by the step that saw them. */
const recorded = new WeakSet<object>();

/** Records the failure (best effort) and rethrows as StepFailedError so the workflow retries or catches. */
async function fail(l: LedgerClients, id: string, actor: string, step: string, err: unknown): Promise<never> {
  if (err instanceof StepFailedError && recorded.has(err)) throw err;
  const message = err instanceof Error ? err.message : String(err);
  await updateQuarantine(l, id, {
    state: 'failed',
    fromStates: RESUMABLE_STATES,
    set: { failure: { step, message } },
    actions: [action(actor, step, 'failed', { message })],
  }).catch(() => undefined);
  throw err instanceof StepFailedError
    ? err
    : new StepFailedError(`${step} failed: ${message}`, step, { cause: err });
}
