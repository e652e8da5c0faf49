import * as z from 'zod/mini';

/** A fact that may not be knowable: the collector says why instead of guessing. */
const Status = z.enum(['collected', 'unavailable']);

/**
 * How exposed the instance was at detection, and what its history says about the way in: the input of
 * the breach report's "exposure and entry hypotheses" section. Collected by the exposure step from the
 * pre-isolation state isolation recorded (never from the instance as it is after the cut), EC2 route
 * tables and attributes, Amazon Inspector, GuardDuty and CloudTrail. Every part that could not be read
 * is listed in `unknowns` with the reason.
 * @example
 * {
 *   "version": 1, "instanceId": "i-0abc1234def567890", "collectedAt": "2026-11-30T08:00:00.000Z",
 *   "publicAddresses": [{ "address": "203.0.113.10", "kind": "ipv4", "eniId": "eni-0a1b2c3d" }],
 *   "openIngress": [{ "groupId": "sg-0a1b2c3d", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidr": "0.0.0.0/0" }],
 *   "internetRoute": "yes",
 *   "imds": { "httpTokens": "optional", "hopLimit": 1, "endpoint": "enabled" },
 *   "keyName": "deploy-2024", "userData": { "sha256": null, "changes": [] },
 *   "vulnerabilities": { "status": "collected", "findings": [] },
 *   "findingHistory": { "status": "collected", "findings": [] },
 *   "instanceAccess": [], "unknowns": []
 * }
 */
export const ExposureFacts = z.object({
  version: z.literal(1),
  instanceId: z.string(),
  collectedAt: z.string(),
  /** Public IPv4, IPv6 (globally routable) and Elastic IP addresses of the instance's interfaces. */
  publicAddresses: z.array(
    z.object({ address: z.string(), kind: z.enum(['ipv4', 'ipv6', 'elastic']), eniId: z.string() }),
  ),
  /** Security-group ingress rules of the original groups open to 0.0.0.0/0 or ::/0. */
  openIngress: z.array(
    z.object({
      groupId: z.string(),
      protocol: z.string(),
      fromPort: z.nullable(z.number()),
      toPort: z.nullable(z.number()),
      cidr: z.string(),
    }),
  ),
  /** A route to an internet gateway in the route table of the instance's subnet. */
  internetRoute: z.enum(['yes', 'no', 'unknown']),
  imds: z.object({
    httpTokens: z.enum(['optional', 'required', 'unknown']),
    hopLimit: z.nullable(z.number()),
    endpoint: z.enum(['enabled', 'disabled', 'unknown']),
  }),
  keyName: z.nullable(z.string()),
  userData: z.object({
    /** SHA-256 (base64) of the decoded user data at detection; null when none or unreadable. */
    sha256: z.nullable(z.string()),
    /** ModifyInstanceAttribute calls that changed it, from CloudTrail. */
    changes: z.array(z.object({ eventTime: z.string(), actor: z.string(), sourceIPAddress: z.string() })),
  }),
  /** Amazon Inspector findings for the instance. */
  vulnerabilities: z.object({
    status: Status,
    detail: z.optional(z.string()),
    findings: z.array(
      z.object({
        title: z.string(),
        cve: z.nullable(z.string()),
        severity: z.string(),
        exploitAvailable: z.nullable(z.boolean()),
        networkReachable: z.nullable(z.boolean()),
        firstObservedAt: z.nullable(z.string()),
      }),
    ),
  }),
  /** GuardDuty's findings for the instance and for its role session, oldest first. */
  findingHistory: z.object({
    status: Status,
    detail: z.optional(z.string()),
    findings: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        severity: z.number(),
        subject: z.enum(['instance', 'session']),
        firstSeen: z.string(),
        lastSeen: z.string(),
        count: z.number(),
      }),
    ),
  }),
  /** Who reached or changed the instance: SendSSHPublicKey, StartSession, RunInstances, Modify*. */
  instanceAccess: z.array(
    z.object({
      eventTime: z.string(),
      eventName: z.string(),
      actor: z.string(),
      sourceIPAddress: z.string(),
    }),
  ),
  unknowns: z.array(z.string()),
});
export type ExposureFacts = z.infer<typeof ExposureFacts>;
