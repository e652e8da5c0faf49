import { EBSClient } from '@aws-sdk/client-ebs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import type { EvidenceClients } from '../clients';
import { parseOrThrow } from '../errors';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig, ZERO_OBJECT_PREFIX } from './config';

const int = (d: number) => z._default(z.coerce.number().check(z.int(), z.positive()), d);

/**
 * The evidence tasks' environment, validated at module load.
 *
 * @example { "VAULT_BUCKET": "sequester-evidence-123456789012", "RETENTION_DAYS": "365", "LEGAL_HOLD": "false" }
 */
export const EvidenceEnv = z.object({
  AWS_REGION: z.string().check(z.minLength(1)),
  VAULT_BUCKET: z.string().check(z.minLength(3)),
  // The cold-storage lifecycle rule covers this prefix (stacks/evidence-vault.ts): it must not cover the
  // zero objects, which must stay readable for UploadPartCopy.
  EVIDENCE_PREFIX: z._default(
    z.string().check(
      z.refine((p) => p.length > 0 && !ZERO_OBJECT_PREFIX.startsWith(p), {
        error: `must be non-empty and must not cover ${ZERO_OBJECT_PREFIX} (the zero objects)`,
      }),
    ),
    DEFAULT_EVIDENCE_CONFIG.prefix,
  ),
  RETENTION_DAYS: int(DEFAULT_EVIDENCE_CONFIG.retentionDays),
  LEGAL_HOLD: z._default(z.enum(['true', 'false']), 'false'),
  SNAPSHOT_LOCK_DAYS: z.optional(z.coerce.number().check(z.int(), z.positive())),
  SEGMENT_PARTS: int(DEFAULT_EVIDENCE_CONFIG.segmentParts),
  BLOCK_CONCURRENCY: int(DEFAULT_EVIDENCE_CONFIG.blockConcurrency),
  PART_CONCURRENCY: int(DEFAULT_EVIDENCE_CONFIG.partConcurrency),
  MEMORY_BUDGET_MIB: int(DEFAULT_EVIDENCE_CONFIG.memoryBudgetBytes / 1024 ** 2),
  AWS_ENDPOINT_URL: z.optional(z.url()),
});

export function readEvidenceConfig(
  env: NodeJS.ProcessEnv = process.env,
): EvidenceConfig & { region: string } {
  const e = parseOrThrow(EvidenceEnv, env);
  return {
    ...DEFAULT_EVIDENCE_CONFIG,
    region: e.AWS_REGION,
    vaultBucket: e.VAULT_BUCKET,
    prefix: e.EVIDENCE_PREFIX,
    retentionDays: e.RETENTION_DAYS,
    legalHold: e.LEGAL_HOLD === 'true',
    ...(e.SNAPSHOT_LOCK_DAYS === undefined ? {} : { snapshotLockDays: e.SNAPSHOT_LOCK_DAYS }),
    segmentParts: e.SEGMENT_PARTS,
    blockConcurrency: e.BLOCK_CONCURRENCY,
    partConcurrency: e.PART_CONCURRENCY,
    memoryBudgetBytes: e.MEMORY_BUDGET_MIB * 1024 ** 2,
    responderActor: env.AWS_LAMBDA_FUNCTION_NAME ?? DEFAULT_EVIDENCE_CONFIG.responderActor,
  };
}

let shared: ReturnType<typeof readEvidenceConfig> | undefined;
/** The container's evidence config, read from the environment on first use. */
export function evidenceConfig(): ReturnType<typeof readEvidenceConfig> {
  shared ??= readEvidenceConfig();
  return shared;
}

const vaults = new Map<string, S3Client>();

/**
 * Evidence clients for one instance: EC2 and the EBS direct APIs act in the instance's account (with
 * the same credentials as its isolation clients), S3 writes to the vault with the responder's own.
 */
export async function evidenceClientsFor(
  rt: { isolationClientsFor(i: { region: string; accountId?: string }): Promise<{ ec2: EC2Client }> },
  instance: { region: string; accountId?: string },
  vaultRegion: string,
): Promise<EvidenceClients> {
  const { ec2 } = await rt.isolationClientsFor(instance);
  const endpoint = process.env.AWS_ENDPOINT_URL;
  const local = endpoint === undefined ? {} : { endpoint };
  const ebs = new EBSClient({
    region: instance.region,
    credentials: ec2.config.credentials,
    maxAttempts: 8,
    retryMode: 'adaptive',
    ...local,
  });
  let s3 = vaults.get(vaultRegion);
  if (s3 === undefined) {
    s3 = new S3Client({
      region: vaultRegion,
      maxAttempts: 8,
      retryMode: 'adaptive',
      forcePathStyle: endpoint !== undefined,
      ...local,
    });
    vaults.set(vaultRegion, s3);
  }
  return { ec2, ebs, s3 };
}
