import type { DocumentLike, SnapshotLike } from './policy-types';

/** The resource a request is about, as the snapshot describes it. */
export interface ResourceFacts {
  readonly accountId: string;
  /** Listed in the snapshot (a listed resource with a null policy has none). */
  readonly listed: boolean;
  readonly arn: string;
  readonly policy: DocumentLike | null;
}

type Resources = NonNullable<SnapshotLike['resources']>;

/**
 * Finds a request's resource: the entry with the same ARN or, for an S3 object
 * (`arn:aws:s3:::bucket/key`), its bucket's entry, whose bucket policy governs the object.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
 * A resource not listed belongs to the principal's account and has no resource policy.
 */
export function resourceIndex(
  resources: Resources,
  principalAccount: string,
): (resourceArn: string) => ResourceFacts {
  const byArn = new Map<string, Resources[number]>();
  for (const r of resources) byArn.set(r.arn, r);
  return (arn) => {
    let entry = byArn.get(arn);
    if (entry === undefined) {
      const object = /^(arn:aws[a-z-]*:s3:::[^/]+)\//.exec(arn);
      if (object?.[1] !== undefined) entry = byArn.get(object[1]);
    }
    if (entry === undefined) return { accountId: principalAccount, listed: false, arn, policy: null };
    return { accountId: entry.accountId, listed: true, arn: entry.arn, policy: entry.policy ?? null };
  };
}

/** A KMS key ARN; `kms:` actions on it are decided by its key policy. */
export function isKmsKey(action: string, resource: string): boolean {
  return /^kms:/i.test(action) && /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\//.test(resource);
}
