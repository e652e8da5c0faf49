import * as z from 'zod/mini';

const Sha256 = z.string().check(z.regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256'));

/**
 * One object an investigation step wrote into the vault (COMPLIANCE retention, the evidence's legal
 * hold), with the SHA-256 S3 checked on upload.
 * @example { "name": "reach.json", "key": "evidence/INC-1/i-0abc/q-.../investigation/reach.json",
 *   "versionId": "3HL4kqtJlcpXroDTDmJ", "sha256": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=" }
 */
export const SealedObject = z.object({
  name: z.string(),
  key: z.string(),
  versionId: z.optional(z.string()),
  sha256: Sha256,
});
export type SealedObject = z.infer<typeof SealedObject>;

/**
 * What one investigation step (activity, reach, exposure) produced. A step that could not learn
 * anything is `unavailable` with the reason: recorded as unknown, never a failed quarantine.
 * @example { "status": "written", "at": "2026-11-30T08:00:00.000Z", "objects": [],
 *   "summary": { "storesReachableBeforeIsolation": 3, "storesReachableAfterIsolation": 0 } }
 */
export const InvestigationOutcome = z.object({
  status: z.enum(['written', 'unavailable']),
  at: z.string(),
  objects: z.array(SealedObject),
  /** Small numbers for the record, the notification and the demo summary. */
  summary: z.optional(z.record(z.string(), z.unknown())),
  /** Why the step is unavailable, or what part of it was (coverage gaps). */
  detail: z.optional(z.string()),
});
export type InvestigationOutcome = z.infer<typeof InvestigationOutcome>;

/** The activity step runs twice: after the cut, and again after CloudTrail's delivery delay. */
export const ActivityPasses = z.object({
  initial: z.optional(InvestigationOutcome),
  late: z.optional(InvestigationOutcome),
});
export type ActivityPasses = z.infer<typeof ActivityPasses>;

/**
 * Investigation results live in their own top-level attributes of the ledger record, never inside
 * `evidence`: the evidence branch rewrites `evidence` whole while the investigation branch runs in
 * parallel, and DynamoDB's UpdateItem SET on distinct attributes cannot clobber each other.
 */
export const INVESTIGATION_ATTRIBUTES = ['activity', 'reach', 'exposure', 'report'] as const;
export type InvestigationAttribute = (typeof INVESTIGATION_ATTRIBUTES)[number];
