import * as z from 'zod/mini';
import { ActivityPasses, InvestigationOutcome } from '../investigation/outcome';
import { AccountId, IncidentId, InstanceId, Region } from '../schemas/ids';
import { lazySchema } from '../schemas/lazy-schema';
import { Trigger } from '../schemas/trigger';

/**
 * Lifecycle of one quarantine. `refused` and `released` are final; `failed` can be retried or released.
 * evidence_* states belong to the evidence pipeline.
 */
export const QuarantineState = z.enum([
  'requested',
  'isolating',
  'isolated',
  'evidence_pending',
  'evidence_sealed',
  'releasing',
  'released',
  'failed',
  'refused',
]);
export type QuarantineState = z.infer<typeof QuarantineState>;

/** The states isolation starts or resumes in (before the instance is isolated); a retry picks up from them. */
export const RESUMABLE_STATES: ReadonlyArray<QuarantineState> = ['requested', 'isolating', 'failed'];

/** One entry of the append-only timeline: who did what, when, and the AWS request ids that prove it. */
export const LedgerAction = z.object({
  at: z.string(),
  actor: z.string(),
  step: z.string(),
  outcome: z.enum(['ok', 'skipped', 'failed', 'alarm', 'planned', 'refused']),
  detail: z.optional(z.record(z.string(), z.unknown())),
  requestIds: z.optional(z.array(z.string())),
});
export type LedgerAction = z.infer<typeof LedgerAction>;

export const InstanceRef = z.object({
  instanceId: InstanceId,
  region: Region,
  accountId: z.optional(AccountId),
  /**
   * Set when the instance was found in another Region than its finding's (a credential-exfiltration
   * finding, isolation/follow-instance.ts): the finding's Region. `region` is then where it lives.
   */
  findingRegion: z.optional(Region),
});
export type InstanceRef = z.infer<typeof InstanceRef>;

const quarantineRecord = () =>
  z.object({
    pk: z.string(),
    quarantineId: z.string(),
    instance: InstanceRef,
    incidentId: IncidentId,
    reason: z.string(),
    trigger: Trigger,
    options: z.record(z.string(), z.unknown()),
    state: QuarantineState,
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Captured before anything is changed; release restores from it. Keys: network, attachments. */
    preState: z.record(z.string(), z.unknown()),
    /** What isolation changed, needed to undo it (quarantine group ids, NACL entries, policy name...). */
    changes: z.record(z.string(), z.unknown()),
    actions: z.array(LedgerAction),
    networkCutAt: z.optional(z.string()),
    isolatedAt: z.optional(z.string()),
    failure: z.optional(z.object({ step: z.string(), message: z.string() })),
    /** The verification of isolation: mismatches (alarms) and the proof of revocation of its credentials. */
    verification: z.optional(
      z.looseObject({
        verified: z.boolean(),
        mismatches: z.array(z.string()),
        credentials: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
    evidence: z.optional(z.record(z.string(), z.unknown())),
    /** Investigation outcomes, each its own attribute (see investigation/outcome.ts for why). */
    activity: z.optional(ActivityPasses),
    reach: z.optional(InvestigationOutcome),
    exposure: z.optional(InvestigationOutcome),
    /** Every version of the breach report written so far (investigation/report). */
    report: z.optional(z.record(z.string(), z.unknown())),
  });
export type QuarantineRecord = z.infer<ReturnType<typeof quarantineRecord>>;

/**
 * The ledger record of one quarantine, as stored in DynamoDB (`pk` = `Q#<quarantineId>`). Built on first
 * use: intake reads a record only when a finding joins an existing quarantine, and building this schema
 * (with the investigation outcomes it embeds) was about 7 of the 25 ms intake's bundle took to load on
 * top of its bare SDK clients (`npm run bench -- bundle`).
 */
export const QuarantineRecord = lazySchema(quarantineRecord);

export const recordKey = (quarantineId: string) => `Q#${quarantineId}`;
/** One active quarantine per instance: instance ids are unique within a region. */
export const lockKey = (instance: { region: string; instanceId: string }) =>
  `I#${instance.region}#${instance.instanceId}`;

/**
 * Every lock a quarantine holds: its instance's, and after a move (ledger/relocate.ts) also the one its
 * finding claimed, so the same finding published again joins this quarantine instead of starting one.
 */
export function heldLockKeys(instance: { region: string; instanceId: string; findingRegion?: string }) {
  const { findingRegion } = instance;
  return [
    lockKey(instance),
    ...(findingRegion === undefined || findingRegion === instance.region
      ? []
      : [lockKey({ region: findingRegion, instanceId: instance.instanceId })]),
  ];
}
