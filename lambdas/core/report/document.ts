import * as z from 'zod/mini';

/**
 * Where a claim comes from: a vault object (key, version, SHA-256 as S3 checked it) or the ledger record
 * (DynamoDB, `key` = its `pk`; no version or hash of its own: the manifest seals a copy of its timeline).
 */
export const EvidenceRef = z.object({
  source: z.enum(['vault', 'ledger']),
  key: z.string(),
  versionId: z.nullable(z.string()),
  sha256: z.nullable(z.string()),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;
const Refs = z.array(EvidenceRef);
const Status = z.enum(['known', 'unknown']);

export const TimelineKind = z.enum([
  'first-suspicious-event',
  'detection',
  'network-cut',
  'isolation-verified',
  'evidence-sealed',
  'report-issued',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const Hypothesis = z.object({
  id: z.string(),
  title: z.string(),
  /** 1 = most likely. Ties keep a fixed order (see hypotheses.ts). */
  rank: z.number(),
  strength: z.enum(['strong', 'moderate', 'weak']),
  supporting: z.array(z.object({ fact: z.string(), evidence: Refs })),
  toConfirm: z.array(z.string()),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

export const ClockRow = z.object({
  jurisdiction: z.string(),
  obligation: z.string(),
  /** What starts the clock, in words ("awareness", "materiality determination"). */
  startsFrom: z.string(),
  startAt: z.nullable(z.string()),
  dueAt: z.nullable(z.string()),
  dueLocal: z.nullable(z.string()),
  rule: z.string(),
  citation: z.string(),
  note: z.optional(z.string()),
});
export type ClockRow = z.infer<typeof ClockRow>;

/**
 * The breach report, version 1: what happened, when it was known, what was done, what was reachable and
 * touched, how they most likely got in, what is not known, and which deadlines run. Built by
 * `buildReport` (deterministic), rendered to Markdown and HTML, sealed in the vault.
 *
 * @example
 * {
 *   "reportVersion": 1, "generatedAt": "2026-11-30T09:00:00.000Z", "organisation": "Example Corp",
 *   "privilegeBanner": null, "timeZone": "UTC",
 *   "incident": { "incidentId": "INC-2026-0142", "quarantineId": "q-…", "instanceId": "i-0abc1234def567890",
 *     "region": "eu-west-1", "accountId": null, "reason": "GuardDuty finding", "trigger": "api: arn:…", "state": "evidence_sealed" },
 *   "summary": [{ "text": "Instance i-0abc… was isolated 2 minutes after the request.", "evidence": [] }],
 *   "timeline": [{ "kind": "detection", "at": "2026-11-30T06:00:00.000Z", "label": "Detection (awareness)",
 *     "detail": "Quarantine requested", "evidence": [{ "source": "ledger", "key": "Q#q-…", "versionId": null, "sha256": null }] }],
 *   "containment": [], "evidence": { "status": "unknown", "…": "…" },
 *   "reach": { "status": "unknown", "…": "…" }, "activity": { "status": "unknown", "…": "…" },
 *   "exposure": { "status": "unknown", "…": "…" }, "secrets": { "status": "unknown", "findings": [], "evidence": [] },
 *   "hypotheses": [], "exfiltration": { "…": "…" }, "unknowns": [{ "area": "activity", "finding": "…", "evidence": [] }],
 *   "clocks": { "awarenessAt": "2026-11-30T06:00:00.000Z", "…": "…", "rows": [] }
 * }
 */
export const BreachReport = z.object({
  reportVersion: z.literal(1),
  generatedAt: z.string(),
  organisation: z.string(),
  privilegeBanner: z.nullable(z.string()),
  timeZone: z.string(),
  incident: z.object({
    incidentId: z.string(),
    quarantineId: z.string(),
    instanceId: z.string(),
    region: z.string(),
    accountId: z.nullable(z.string()),
    reason: z.string(),
    trigger: z.string(),
    state: z.string(),
  }),
  summary: z.array(z.object({ text: z.string(), evidence: Refs })),
  timeline: z.array(
    z.object({
      kind: TimelineKind,
      at: z.nullable(z.string()),
      label: z.string(),
      detail: z.string(),
      evidence: Refs,
    }),
  ),
  containment: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      step: z.string(),
      outcome: z.string(),
      requestIds: z.array(z.string()),
      evidence: Refs,
    }),
  ),
  evidence: z.object({
    status: Status,
    sealedAt: z.nullable(z.string()),
    retention: z.nullable(z.object({ mode: z.string(), until: z.string() })),
    legalHold: z.nullable(z.boolean()),
    images: z.array(
      z.object({
        volumeId: z.string(),
        snapshotId: z.string(),
        deviceName: z.string(),
        key: z.string(),
        versionId: z.string(),
        bytes: z.number(),
        compositeSha256: z.string(),
        retainUntil: z.string(),
        legalHold: z.boolean(),
      }),
    ),
    context: z.array(
      z.object({
        name: z.string(),
        status: z.string(),
        key: z.nullable(z.string()),
        versionId: z.nullable(z.string()),
        sha256: z.nullable(z.string()),
        detail: z.nullable(z.string()),
      }),
    ),
    evidence: Refs,
  }),
  reach: z.object({
    status: Status,
    reachableBefore: z.nullable(z.number()),
    reachableFromInternet: z.nullable(z.number()),
    /** Must be 0: anything else is an alarm (the deny did not hold for it). */
    reachableAfter: z.nullable(z.number()),
    classified: z.array(
      z.object({
        arn: z.string(),
        type: z.string(),
        classification: z.string(),
        via: z.string(),
        before: z.string(),
        after: z.string(),
      }),
    ),
    alarms: z.array(z.string()),
    evidence: Refs,
  }),
  activity: z.object({
    status: Status,
    pass: z.nullable(z.enum(['initial', 'late'])),
    window: z.nullable(z.object({ since: z.string(), until: z.string() })),
    touched: z.array(
      z.object({
        resource: z.string(),
        eventName: z.string(),
        eventSource: z.string(),
        count: z.number(),
        bytes: z.nullable(z.number()),
      }),
    ),
    fromOutside: z.array(
      z.object({
        eventTime: z.string(),
        eventName: z.string(),
        sourceIPAddress: z.string(),
        userAgent: z.nullable(z.string()),
        errorCode: z.nullable(z.string()),
      }),
    ),
    persistence: z.array(
      z.object({
        eventTime: z.string(),
        eventName: z.string(),
        target: z.string(),
        errorCode: z.nullable(z.string()),
      }),
    ),
    /** Direct events whose credentials were delivered by IMDSv1 (`ec2RoleDelivery` "1.0"). */
    imdsV1Deliveries: z.nullable(z.number()),
    evidence: Refs,
  }),
  exposure: z.object({
    status: Status,
    facts: z.array(z.object({ label: z.string(), value: z.string() })),
    evidence: Refs,
  }),
  secrets: z.object({
    status: Status,
    findings: z.array(
      z.object({
        volumeId: z.string(),
        offset: z.number(),
        kind: z.string(),
        preview: z.string(),
        owner: z.string(),
      }),
    ),
    evidence: Refs,
  }),
  hypotheses: z.array(Hypothesis),
  exfiltration: z.object({
    s3BytesRead: z.nullable(z.number()),
    bytesOutsideVpc: z.nullable(z.number()),
    bytesToInternet: z.nullable(z.number()),
    comparison: z.enum(['read-exceeds-egress', 'egress-exceeds-read', 'comparable', 'unknown']),
    /** True when the two sources disagree beyond the tolerance: a question for the responders. */
    disagreement: z.boolean(),
    statement: z.string(),
    evidence: Refs,
  }),
  unknowns: z.array(z.object({ area: z.string(), finding: z.string(), evidence: Refs })),
  clocks: z.object({
    awarenessAt: z.string(),
    awarenessBasis: z.string(),
    disclaimer: z.string(),
    rows: z.array(ClockRow),
  }),
});
export type BreachReport = z.infer<typeof BreachReport>;
