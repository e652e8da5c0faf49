import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type Collected,
  emptyCollected,
  orAbsent,
  perStore,
  policyOf,
  reasonOf,
  tagsOf,
} from './collect-support';

/**
 * The buckets of the account in the covered regions, with their bucket policy, Block Public Access
 * settings, default encryption key and tags.
 * - ListBuckets pages with ContinuationToken/MaxBuckets and names each bucket's region (BucketRegion), so
 *   the per-bucket reads go to the bucket's own region. A listing without BucketRegion (older endpoints,
 *   emulators) is completed with GetBucketLocation, whose empty LocationConstraint means us-east-1.
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 * - No policy is the error NoSuchBucketPolicy, no Block Public Access configuration
 *   NoSuchPublicAccessBlockConfiguration, no tags NoSuchTagSet: absent, not unknown.
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html
 * - Default encryption `aws:kms` (or `aws:kms:dsse`) without KMSMasterKeyID uses the AWS managed key
 *   `aws/s3`; `AES256` (SSE-S3) needs no KMS permission.
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */
export async function collectS3(
  s3For: (region: string) => S3Client,
  listRegion: string,
  regions: ReadonlyArray<string>,
  accountId: string,
): Promise<Collected> {
  const out = emptyCollected();
  const covered = new Set(regions);
  try {
    for await (const page of paginateListBuckets({ client: s3For(listRegion), pageSize: 1000 }, {})) {
      const listed = await perStore(
        (page.Buckets ?? []).filter((b) => b.Name !== undefined),
        async (b) => ({
          ...b,
          BucketRegion: b.BucketRegion ?? (await locate(s3For(listRegion), b.Name as string).catch(reasonOf)),
        }),
      );
      // A bucket whose region could not be read is kept, unknown with the reason.
      const buckets = listed.filter((b) => covered.has(b.BucketRegion) || !isRegion(b.BucketRegion));
      const facts = await perStore(buckets, async (b) => {
        const name = b.Name as string;
        const region = isRegion(b.BucketRegion) ? b.BucketRegion : 'unknown';
        if (region === 'unknown') return { name, region, error: `GetBucketLocation: ${b.BucketRegion}` };
        try {
          return { name, region, ...(await readBucket(s3For(region), name)) };
        } catch (err) {
          return { name, region, error: reasonOf(err) };
        }
      });
      for (const f of facts) {
        const arn = `arn:aws:s3:::${f.name}`;
        const index = out.stores.length;
        if ('error' in f) {
          out.stores.push({
            arn,
            type: 's3',
            region: f.region,
            accountId,
            kmsKeyArn: null,
            tags: {},
            unknown: f.error,
          });
          continue;
        }
        out.stores.push({
          arn,
          type: 's3',
          region: f.region,
          accountId,
          kmsKeyArn: null,
          tags: f.tags,
          publicAccessBlock: f.publicAccessBlock,
        });
        out.resources.push({ arn, accountId, policy: f.policy });
        if (f.keyRef !== undefined) out.keys.push({ store: index, region: f.region, ref: f.keyRef });
      }
    }
  } catch (err) {
    out.unknown.push({ what: 's3:ListBuckets', reason: reasonOf(err) });
  }
  return out;
}

const isRegion = (s: string) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(s);

/** A bucket's region (GetBucketLocation: an empty LocationConstraint is us-east-1). */
export async function locate(s3: S3Client, bucket: string): Promise<string> {
  const r = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
  return r.LocationConstraint === undefined || (r.LocationConstraint as string) === ''
    ? 'us-east-1'
    : r.LocationConstraint;
}

/** One bucket's policy, Block Public Access, default encryption key and tags (absent ones as such). */
export async function readBucket(s3: S3Client, bucket: string) {
  const [policy, pab, encryption, tagging] = await Promise.all([
    orAbsent(
      async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy,
      ['NoSuchBucketPolicy'],
      undefined,
    ),
    // Frozen with the store; Block Public Access limits public policies for callers outside the
    // bucket's account, which the account's own role is not.
    orAbsent(
      async () =>
        (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration,
      ['NoSuchPublicAccessBlockConfiguration'],
      undefined,
    ),
    orAbsent(
      async () =>
        (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration,
      ['ServerSideEncryptionConfigurationNotFoundError'],
      undefined,
    ),
    orAbsent(
      async () => (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet,
      ['NoSuchTagSet'],
      [],
    ),
  ]);
  const byDefault = encryption?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const kms = byDefault?.SSEAlgorithm?.startsWith('aws:kms') === true;
  return {
    policy: policyOf(policy),
    tags: tagsOf(tagging),
    publicAccessBlock: Object.fromEntries(
      Object.entries(pab ?? {}).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
    ),
    keyRef: kms ? (byDefault?.KMSMasterKeyID ?? 'alias/aws/s3') : undefined,
  };
}
