import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_EVIDENCE_CONFIG } from '../lambdas/core/evidence/config';
import { RESPONDER_PATH } from '../policies/arn-context';
import { type ReviewerArgs, reviewerPolicy } from '../policies/human-roles';
import { humanTrust } from '../policies/trust-policies';
import { vaultBucketPolicy } from '../policies/vault-bucket-policy';
import { serverAccessLogBucket } from './access-log-bucket';

export interface EvidenceVaultArgs {
  /** Default COMPLIANCE retention of every evidence object, in days (at least 1). */
  readonly retentionDays: pulumi.Input<number>;
  /** Days after which evidence moves to Glacier Deep Archive (it stays locked there). Default 90. */
  readonly coldStorageAfterDays?: pulumi.Input<number>;
  /**
   * Key prefix of the evidence objects (the Lambdas' EVIDENCE_PREFIX), the only prefix that goes to cold
   * storage. Default: the pipeline's default, `evidence/`.
   */
  readonly evidencePrefix?: string;
  /** Roles that write evidence (the responder's evidence Lambdas). */
  readonly writerRoleArns: pulumi.Input<ReadonlyArray<pulumi.Input<string>>>;
  /** The ledger, so reviewers can read the chain of custody beside the evidence. */
  readonly ledgerTableArn: pulumi.Input<string>;
  /** Name of the reviewer role (created here under the `/sequester/` path). */
  readonly reviewerRoleName: pulumi.Input<string>;
  /** Principals allowed to assume the reviewer role (MFA required). Default: the account root. */
  readonly reviewerPrincipalArns: pulumi.Input<ReadonlyArray<pulumi.Input<string>>>;
}

/**
 * The evidence vault: an Object Lock bucket in COMPLIANCE mode (nobody, root included, can delete or
 * shorten a retention), versioned, SSE-KMS with its own rotating key, never public, logged to a separate
 * bucket, and a reviewer role that can read, verify and place legal holds.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export class EvidenceVault extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly key: aws.kms.Key;
  public readonly logBucket: aws.s3.Bucket;
  public readonly reviewerRole: aws.iam.Role;

  public constructor(name: string, args: EvidenceVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:EvidenceVault', name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    // aws, aws-cn or aws-us-gov: ARNs written here must name the partition the stack deploys to.
    const partition = aws.getPartitionOutput({}, parent).partition;

    this.key = new aws.kms.Key(
      `${name}-key`,
      { description: 'Sequester evidence vault', enableKeyRotation: true, deletionWindowInDays: 30 },
      parent,
    );
    this.logBucket = serverAccessLogBucket(`${name}-logs`, this);

    // Object Lock can only be enabled when the bucket is created; it turns versioning on for good.
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { objectLockEnabled: true, forceDestroy: false },
      parent,
    );
    const bucket = this.bucket.id;
    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: 'Enabled' } },
      parent,
    );
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-lock`,
      { bucket, rule: { defaultRetention: { mode: 'COMPLIANCE', days: args.retentionDays } } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketLogging(
      `${name}-access-logging`,
      { bucket, targetBucket: this.logBucket.id, targetPrefix: 'vault/' },
      parent,
    );
    // Transitions keep the lock: S3 never expires or deletes a locked version because of lifecycle.
    // There is deliberately no expiration rule. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-lifecycle
    // Only the evidence prefix goes cold: the shared zero objects (ZERO_OBJECT_PREFIX, outside it) are
    // the source of every UploadPartCopy of a never-written part, and an archived source fails the copy
    // with ObjectNotInActiveTierError. https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
    const coldAfter = args.coldStorageAfterDays ?? 90;
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: 'evidence-to-cold-storage',
            status: 'Enabled',
            filter: { prefix: args.evidencePrefix ?? DEFAULT_EVIDENCE_CONFIG.prefix },
            transitions: [{ days: coldAfter, storageClass: 'DEEP_ARCHIVE' }],
            noncurrentVersionTransitions: [{ noncurrentDays: coldAfter, storageClass: 'DEEP_ARCHIVE' }],
          },
          {
            id: 'abort-incomplete-uploads',
            status: 'Enabled',
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 14 },
          },
        ],
      },
      parent,
    );

    this.reviewerRole = new aws.iam.Role(
      `${name}-reviewer`,
      {
        name: args.reviewerRoleName,
        path: RESPONDER_PATH,
        description: 'Sequester reviewer: read and verify evidence, place legal holds',
        assumeRolePolicy: pulumi
          .all([args.reviewerPrincipalArns, account, partition])
          .apply(([arns, acct, p]) =>
            JSON.stringify(humanTrust(arns.length > 0 ? arns : [`arn:${p}:iam::${acct}:root`], true)),
          ),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-reviewer-policy`,
      {
        role: this.reviewerRole.id,
        policy: pulumi
          .all([this.bucket.arn, this.key.arn, args.ledgerTableArn])
          .apply(([vaultBucketArn, vaultKeyArn, ledgerTableArn]) =>
            JSON.stringify(
              reviewerPolicy({
                vaultBucketArn,
                vaultKeyArn,
                ledgerTableArn,
                ...(args.evidencePrefix === undefined ? {} : { evidencePrefix: args.evidencePrefix }),
              } satisfies ReviewerArgs),
            ),
          ),
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi
          .all([this.bucket.arn, this.key.arn, args.writerRoleArns, this.reviewerRole.arn])
          .apply(([bucketArn, keyArn, writers, reviewer]) =>
            JSON.stringify(
              vaultBucketPolicy({ bucketArn, keyArn, writerRoleArns: writers, readerRoleArns: [reviewer] }),
            ),
          ),
      },
      parent,
    );
    this.registerOutputs({
      bucketName: this.bucket.bucket,
      keyArn: this.key.arn,
      reviewerRoleArn: this.reviewerRole.arn,
    });
  }
}
