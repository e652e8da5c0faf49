import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';

export interface VaultPolicyConfig {
  /** The shortest default COMPLIANCE retention a vault may have, in days. */
  readonly minRetentionDays: number;
}

const refersTo = (r: PolicyResource, bucket: PolicyResource) => {
  const b = r.props.bucket;
  return b !== undefined && (b === bucket.props.id || b === bucket.props.bucket);
};

/**
 * Every Object Lock bucket in a stack is an evidence vault and must be: locked by default in COMPLIANCE
 * mode for at least the configured days, encrypted with SSE-KMS, and closed to the public (all four
 * public access block settings). Checked across resources because each setting is its own resource.
 */
export const evidenceVaultInvariants: StackValidationPolicy = {
  name: 'evidence-vault-invariants',
  description:
    'Object Lock buckets are COMPLIANCE-locked for at least N days, SSE-KMS encrypted and never public.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: { minRetentionDays: { type: 'integer', minimum: 1, default: 1 } },
  },
  validateStack: (args, report) => {
    const min = args.getConfig<VaultPolicyConfig>().minRetentionDays ?? 1;
    const vaults = args.resources.filter(
      (r) => r.type === 'aws:s3/bucket:Bucket' && r.props.objectLockEnabled === true,
    );
    for (const vault of vaults) {
      const of = (type: string) => args.resources.filter((r) => r.type === type && refersTo(r, vault));
      const lock = of('aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration')[0];
      const retention = lock?.props.rule?.defaultRetention as
        | { mode?: string; days?: number; years?: number }
        | undefined;
      const days = retention?.days ?? (retention?.years === undefined ? 0 : retention.years * 365);
      if (retention?.mode !== 'COMPLIANCE') report(`${vault.name}: default retention is not COMPLIANCE`);
      else if (days < min) report(`${vault.name}: default retention ${days} days is below ${min}`);

      const sse = of(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      );
      const kms = sse.some((s) =>
        (
          s.props.rules as
            | Array<{ applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }>
            | undefined
        )?.some((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm === 'aws:kms'),
      );
      if (!kms) report(`${vault.name}: not encrypted with SSE-KMS by default`);

      const bpa = of('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')[0]?.props;
      const closed = [
        'blockPublicAcls',
        'blockPublicPolicy',
        'ignorePublicAcls',
        'restrictPublicBuckets',
      ].every((k) => bpa?.[k] === true);
      if (!closed) report(`${vault.name}: public access is not fully blocked`);
    }
  },
};
