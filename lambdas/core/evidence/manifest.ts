import * as z from 'zod/mini';
import { SealedObject } from '../investigation/outcome';
import { SecretFinding } from '../investigation/secrets/secret-finding';
import { LedgerAction } from '../ledger/record';
import { Trigger } from '../schemas/trigger';

const Sha256 = z.string().check(z.regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 SHA-256'));
const Retention = z.object({ mode: z.literal('COMPLIANCE'), until: z.iso.datetime() });

/**
 * One raw disk image (or one piece of a split image) as stored in the vault, with the SHA-256 of each
 * multipart part and S3's composite checksum (SHA-256 of the concatenated part digests, "-N").
 * Stored beside the image as `<image key>.parts.json` and inlined in the manifest.
 */
export const ImageRecord = z.object({
  key: z.string(),
  versionId: z.string(),
  volumeId: z.string(),
  snapshotId: z.string(),
  offset: z.int().check(z.nonnegative()),
  length: z.int().check(z.positive()),
  partSize: z.int().check(z.positive()),
  partCount: z.int().check(z.positive()),
  writtenBlocks: z.int().check(z.nonnegative()),
  partSha256: z.array(Sha256),
  compositeSha256: z.string().check(z.regex(/^[A-Za-z0-9+/]{43}=-\d+$/)),
  exportStartedAt: z.string(),
  completedAt: z.string(),
  retention: Retention,
  legalHold: z.boolean(),
  /**
   * Credential-shaped strings found in the image's written blocks while it was exported (redacted
   * previews, offsets on the volume), at most SECRET_LIMIT; absent in records written before the scan.
   */
  secrets: z.optional(z.array(SecretFinding)),
  /** Findings beyond the limit, counted and not listed. */
  secretsDropped: z.optional(z.int().check(z.nonnegative())),
  /** Part ranges whose scan is missing or partial, and why. */
  secretsIncomplete: z.optional(z.array(z.string())),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

/** One piece of context evidence (finding, describe output, console, CloudTrail events). */
export const ContextObject = z.object({
  name: z.string(),
  status: z.enum(['captured', 'unavailable']),
  key: z.optional(z.string()),
  versionId: z.optional(z.string()),
  sha256: z.optional(Sha256),
  detail: z.optional(z.string()),
});
export type ContextObject = z.infer<typeof ContextObject>;

/**
 * The evidence manifest of one quarantined instance, version 1: stored beside the images with its own
 * COMPLIANCE retention.
 *
 * @example
 * {
 *   "manifestVersion": 1, "tool": "sequester/0.1.0", "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11",
 *   "incidentId": "INC-2026-0142", "reason": "GuardDuty Backdoor:EC2/C&CActivity.B",
 *   "trigger": { "kind": "api", "principalArn": "arn:aws:iam::123456789012:role/on-call" },
 *   "actor": "arn:aws:iam::123456789012:role/on-call",
 *   "instance": { "instanceId": "i-0abc1234def567890", "region": "eu-west-1", "volumes": [] },
 *   "volumes": [{ "volumeId": "vol-0a1b2c3d", "snapshotId": "snap-0a1b2c3d", "sizeGiB": 8, "deviceName": "/dev/xvda", "images": [] }],
 *   "context": [], "chainOfCustody": [], "sealedAt": "2026-11-25T17:00:00.000Z",
 *   "retention": { "mode": "COMPLIANCE", "until": "2027-11-25T17:00:00.000Z" }, "legalHold": false
 * }
 */
export const Manifest = z.object({
  manifestVersion: z.literal(1),
  tool: z.string(),
  quarantineId: z.string(),
  incidentId: z.string(),
  reason: z.string(),
  trigger: Trigger,
  actor: z.string(),
  instance: z.record(z.string(), z.unknown()),
  volumes: z.array(
    z.object({
      volumeId: z.string(),
      snapshotId: z.string(),
      sizeGiB: z.int().check(z.positive()),
      deviceName: z.string(),
      images: z.array(ImageRecord).check(z.minLength(1)),
    }),
  ),
  context: z.array(ContextObject),
  /**
   * The investigation objects written before sealing (activity's first pass, reach, exposure when
   * present), with the SHA-256 S3 checked. Absent in manifests sealed before the investigation existed.
   */
  investigation: z.optional(z.array(SealedObject)),
  chainOfCustody: z.array(LedgerAction),
  sealedAt: z.string(),
  retention: Retention,
  legalHold: z.boolean(),
});
export type Manifest = z.infer<typeof Manifest>;
