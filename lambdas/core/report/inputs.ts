import * as z from 'zod/mini';
import { Manifest } from '../evidence/manifest';
import { ActivityReport } from '../investigation/activity/report';
import { ExposureFacts } from '../investigation/exposure/exposure-facts';
import { FlowVolumeBody } from '../investigation/flow-logs/flows-report';
import { SealedObject } from '../investigation/outcome';
import { ReachReport } from '../investigation/reach/report';
import { SecretFinding } from '../investigation/secrets/secret-finding';
import { QuarantineRecord } from '../ledger/record';

/**
 * One vault object the report reads, with the locator every claim drawn from it cites
 * (key, version id, SHA-256 as S3 checked it on upload).
 */
const Sealed = <T extends z.core.$ZodType>(body: T) => z.object({ object: SealedObject, body });

/** Jurisdictions (and regimes) the report computes notification clocks for: see clocks.ts. */
export const JURISDICTIONS = [
  'gdpr',
  'uk-gdpr',
  'nis2',
  'dora',
  'sec-8k',
  'hipaa',
  'au-ndb',
  'nydfs-500',
] as const;
export const Jurisdiction = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/**
 * Who the report is for and how it is shown; set in the deployment's configuration.
 * @example { "organisation": "Example Corp", "jurisdictions": ["gdpr", "nis2", "sec-8k"],
 *   "privilegeBanner": "Privileged & confidential: prepared at the direction of counsel",
 *   "timeZone": "Europe/Berlin" }
 */
export const ReportConfig = z.object({
  organisation: z.string(),
  jurisdictions: z.array(Jurisdiction),
  /** Shown at the top of every rendering when set; the report never adds one on its own. */
  privilegeBanner: z.optional(z.string()),
  /** IANA time zone for a second column of times (UTC is always shown). */
  timeZone: z.optional(z.string()),
});
export type ReportConfig = z.infer<typeof ReportConfig>;

/**
 * Everything the breach report is built from. Only the ledger record is required: every other part may
 * be missing (step unavailable, not yet run, unreadable) and the report then says what is unknown.
 * `generatedAt` is passed in so that building is deterministic.
 * @example
 * {
 *   "record": { "pk": "Q#q-…", "quarantineId": "q-…", "…": "the QuarantineRecord as stored" },
 *   "manifest": { "object": { "name": "manifest.json", "key": "evidence/INC-1/i-0abc/q-…/manifest.json",
 *     "versionId": "v1", "sha256": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=" }, "body": { "…": "Manifest" } },
 *   "activity": { "initial": { "object": { "…": "SealedObject" }, "body": { "…": "ActivityReport" } } },
 *   "reach": { "object": { "…": "SealedObject" }, "body": { "…": "ReachReport" } },
 *   "exposure": { "object": { "…": "SealedObject" }, "body": { "…": "ExposureFacts" } },
 *   "secrets": [{ "volumeId": "vol-0a1b2c3d", "offset": 1052672, "kind": "private-key", "preview": "-----BEGIN…" }],
 *   "flowVolume": { "window": { "since": "2026-11-29T00:00:00.000Z", "until": "2026-11-30T06:00:00.000Z" },
 *     "body": { "…": "FlowVolume" } },
 *   "config": { "organisation": "Example Corp", "jurisdictions": ["gdpr"] },
 *   "generatedAt": "2026-11-30T09:00:00.000Z"
 * }
 */
export const ReportInputs = z.object({
  record: QuarantineRecord.schema(),
  manifest: z.optional(Sealed(Manifest)),
  /** The two activity passes; the late one (after CloudTrail's delivery delay) wins where both exist. */
  activity: z.optional(
    z.object({ initial: z.optional(Sealed(ActivityReport)), late: z.optional(Sealed(ActivityReport)) }),
  ),
  reach: z.optional(Sealed(ReachReport)),
  exposure: z.optional(Sealed(ExposureFacts)),
  /**
   * Secret findings of the disk scan (from the manifest's image records): cited to the manifest.
   * Missing = the scan's result is unknown; empty = scanned, nothing found.
   */
  secrets: z.optional(z.array(SecretFinding)),
  /** Bytes out from VPC flow logs; `object` when the figures were sealed in the vault. */
  flowVolume: z.optional(
    z.object({
      object: z.optional(SealedObject),
      window: z.optional(z.object({ since: z.string(), until: z.string() })),
      body: FlowVolumeBody,
    }),
  ),
  /**
   * When the organisation became aware: defaults to the quarantine request (`record.createdAt`). Set it
   * when the finding was seen earlier than the request (e.g. the GuardDuty finding's own time).
   */
  awareness: z.optional(z.object({ at: z.iso.datetime(), basis: z.string() })),
  /** Decisions that start clocks of their own (SEC: materiality; DORA: classification as major). */
  determinations: z.optional(
    z.object({
      materialityDeterminedAt: z.optional(z.iso.datetime()),
      majorIncidentClassifiedAt: z.optional(z.iso.datetime()),
    }),
  ),
  config: ReportConfig,
  generatedAt: z.iso.datetime(),
});
export type ReportInputs = z.infer<typeof ReportInputs>;
export type SealedInput<T> = { object: SealedObject; body: T };
