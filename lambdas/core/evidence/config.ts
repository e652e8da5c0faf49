/** EBS direct APIs serve snapshots in 512 KiB blocks. https://docs.aws.amazon.com/ebs/latest/userguide/ebsapis-using-apis.html */
export const BLOCK_SIZE = 512 * 1024;
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/**
 * Key prefix of the vault's shared all-zero objects (the UploadPartCopy source of never-written parts).
 * Deliberately outside every evidence prefix: the vault's cold-storage lifecycle rule covers the evidence
 * prefix only, so these objects stay in an active storage class (UploadPartCopy from an archived source
 * fails). The one place this prefix is defined: IAM conditions on it (s3:prefix) import it from here.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
 */
export const ZERO_OBJECT_PREFIX = 'sequester-zero/';

/** Settings of the evidence pipeline that come from deployment config, not from the request. */
export interface EvidenceConfig {
  /** The Object Lock vault (bucket in the responder's account). */
  readonly vaultBucket: string;
  /** Key prefix of every evidence object, e.g. "evidence/". */
  readonly prefix: string;
  /** Object Lock COMPLIANCE retention of every evidence object, in days from writing. */
  readonly retentionDays: number;
  readonly legalHold: boolean;
  /** Lock the EBS snapshots themselves in compliance mode for this many days (undefined: no lock). */
  readonly snapshotLockDays?: number;
  /** Parts per segment: the unit of work of one export worker (one Step Functions Map item). */
  readonly segmentParts: number;
  /** GetSnapshotBlock requests in flight per worker. AWS allows about 1,000 req/s per snapshot. */
  readonly blockConcurrency: number;
  /** Parts uploaded at once per worker; also capped by memoryBudgetBytes / partSize. */
  readonly partConcurrency: number;
  /** Bytes of part buffers a worker may hold at once. */
  readonly memoryBudgetBytes: number;
  /** Retries (with full-jitter exponential backoff) of a throttled block or part request. */
  readonly throttleRetries: number;
  readonly throttleBaseMs: number;
  /** CloudTrail look-back window for the instance role's recent management events. */
  readonly cloudTrailWindowHours: number;
  /** Who performs the AWS actions, recorded on every ledger action. */
  readonly responderActor: string;
  readonly toolVersion: string;
}

export const DEFAULT_EVIDENCE_CONFIG: Omit<EvidenceConfig, 'vaultBucket'> = {
  prefix: 'evidence/',
  retentionDays: 365,
  legalHold: false,
  segmentParts: 64,
  blockConcurrency: 32,
  partConcurrency: 4,
  memoryBudgetBytes: 96 * MIB,
  throttleRetries: 8,
  throttleBaseMs: 100,
  cloudTrailWindowHours: 24,
  responderActor: 'sequester-responder',
  toolVersion: 'sequester/0.1.0',
};

/** The Object Lock settings every evidence object is written with. */
export function lockFor(cfg: Pick<EvidenceConfig, 'retentionDays' | 'legalHold'>, now = new Date()) {
  return {
    ObjectLockMode: 'COMPLIANCE' as const,
    ObjectLockRetainUntilDate: new Date(now.getTime() + cfg.retentionDays * 86_400_000),
    ...(cfg.legalHold ? { ObjectLockLegalHoldStatus: 'ON' as const } : {}),
  };
}
