import * as z from 'zod/mini';

const Count = z.number().check(z.int(), z.minimum(0));

/** Whether the trail logs data events: from GetEventSelectors, or inferred from the records seen. */
export const DataEventsCoverage = z.object({
  enabled: z.union([z.boolean(), z.literal('unknown')]),
  basis: z.enum(['GetEventSelectors', 'inferred-from-records', 'none']),
  /** Data events seen in the window (any principal). */
  seen: Count,
  detail: z.optional(z.string()),
});

export const LoggingCoverage = z.object({
  isLogging: z.union([z.boolean(), z.literal('unknown')]),
  basis: z.enum(['GetTrailStatus', 'none']),
  latestDeliveryTime: z.optional(z.string()),
  detail: z.optional(z.string()),
});

export const DigestCoverage = z.object({
  digests: Count,
  valid: Count,
  /** Log files whose SHA-256 a valid digest vouches for. */
  coveredFiles: z.array(z.string()),
  /** Log files read that no valid digest covers. */
  uncoveredFiles: z.array(z.string()),
  breaks: z.array(z.object({ key: z.string(), problem: z.string() })),
});

export const Coverage = z.object({
  source: z.string(),
  regions: z.array(z.string()),
  accounts: z.array(z.string()),
  files: Count,
  filesMalformed: z.array(z.object({ key: z.string(), problem: z.string() })),
  recordsInWindow: Count,
  /** Attributed records that did not have the shape of a CloudTrail record: skipped, counted here. */
  recordsMalformed: Count,
  dataEvents: DataEventsCoverage,
  logging: LoggingCoverage,
  digests: z.optional(DigestCoverage),
});

/**
 * What the instance session's credentials did, everywhere the trail saw them: written as
 * `activity.json` next to the evidence and printed by `sequester activity --json`.
 *
 * @example
 * {
 *   "principalId": "AROAEXAMPLEROLEID1234:i-0abc1234def567890",
 *   "window": { "since": "2026-11-23T00:00:00.000Z", "until": "2026-11-30T06:00:00.000Z" },
 *   "coverage": { "source": "dir:/trail", "regions": ["eu-west-1"], "accounts": ["123456789012"], "files": 12,
 *     "filesMalformed": [], "recordsInWindow": 4810,
 *     "dataEvents": { "enabled": true, "basis": "inferred-from-records", "seen": 311 },
 *     "logging": { "isLogging": "unknown", "basis": "none" } },
 *   "events": 42,
 *   "derivedSessions": [{ "arn": "arn:aws:sts::123456789012:assumed-role/admin/x", "accessKeyId": "ASIA...",
 *     "via": "AssumeRole", "eventTime": "2026-11-29T22:01:00Z", "depth": 1, "callerAccessKeyId": "ASIA..." }],
 *   "origins": { "instance": 30, "aws-service": 2, "other": 10 },
 *   "other": [{ "eventTime": "2026-11-29T22:05:00Z", "eventName": "GetSecretValue",
 *     "sourceIPAddress": "198.51.100.7" }],
 *   "touched": [{ "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
 *     "resource": "arn:aws:s3:::customer-data/records/1.csv", "count": 3, "bytesTransferredOut": 6144 }],
 *   "persistence": [{ "eventTime": "2026-11-29T22:07:00Z", "eventName": "CreateAccessKey", "target": "backup" }],
 *   "ec2RoleDelivery": { "1.0": 12 },
 *   "userAgents": [{ "userAgent": "[aws-cli/2.15.0]", "count": 40 }]
 * }
 */
export const ActivityReport = z.object({
  principalId: z.string(),
  window: z.object({ since: z.string(), until: z.string() }),
  coverage: Coverage,
  events: Count,
  /** Events of the instance session itself (the rest are its derived sessions'). */
  directEvents: Count,
  deniedEvents: Count,
  derivedSessions: z.array(
    z.object({
      arn: z.nullable(z.string()),
      accessKeyId: z.string(),
      via: z.string(),
      eventTime: z.string(),
      depth: Count,
      callerAccessKeyId: z.nullable(z.string()),
      events: Count,
    }),
  ),
  origins: z.object({ instance: Count, 'aws-service': Count, other: Count }),
  other: z.array(
    z.object({
      eventTime: z.string(),
      eventName: z.string(),
      eventSource: z.string(),
      sourceIPAddress: z.string(),
      accessKeyId: z.nullable(z.string()),
      userAgent: z.nullable(z.string()),
      errorCode: z.optional(z.string()),
    }),
  ),
  touched: z.array(
    z.object({
      eventSource: z.string(),
      eventName: z.string(),
      resource: z.string(),
      count: Count,
      /** Sum of `additionalEventData.bytesTransferredOut`; null when no touching call reported it. */
      bytesTransferredOut: z.nullable(z.number()),
    }),
  ),
  persistence: z.array(
    z.object({
      eventTime: z.string(),
      eventName: z.string(),
      eventSource: z.string(),
      target: z.string(),
      errorCode: z.optional(z.string()),
    }),
  ),
  /** Counts of `sessionContext.ec2RoleDelivery` ("1.0": credentials fetched with IMDSv1) on direct events. */
  ec2RoleDelivery: z.record(z.string(), Count),
  userAgents: z.array(z.object({ userAgent: z.string(), count: Count })),
});
export type ActivityReport = z.infer<typeof ActivityReport>;
