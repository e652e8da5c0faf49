import * as z from 'zod/mini';

/**
 * A credential-shaped string found on a disk image while the export streamed its written blocks.
 * Never the secret itself: its kind, where it is, and a preview holding no secret character (the
 * format's fixed prefix or the key id, and a length). AWS access key ids are not secret (CloudTrail logs them) and are kept whole so they can
 * be resolved to their account and user.
 * @example { "volumeId": "vol-0a1b2c3d", "offset": 1052672, "kind": "aws-access-key",
 *   "preview": "AKIAIOSFODNN7EXAMPLE / secret access key (40 chars, redacted)", "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
 *   "resolved": { "status": "resolved", "account": "111122223333", "user": "deploy" } }
 */
export const SecretFinding = z.object({
  volumeId: z.string(),
  /** Byte offset on the volume (not in the image piece). */
  offset: z.int().check(z.nonnegative()),
  kind: z.enum([
    'aws-access-key',
    'private-key',
    'github-token',
    'slack-token',
    'gitlab-token',
    'jwt',
    'other',
  ]),
  preview: z.string(),
  accessKeyId: z.optional(z.string()),
  resolved: z.optional(
    z.object({
      status: z.enum(['resolved', 'unknown']),
      account: z.optional(z.string()),
      user: z.optional(z.string()),
      detail: z.optional(z.string()),
    }),
  ),
});
export type SecretFinding = z.infer<typeof SecretFinding>;
