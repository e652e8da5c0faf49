import { DescribeSnapshotsCommand, DescribeTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../policies/policy-document';
import type { Facts } from './operations';

/**
 * What AWS knows when it authorizes (tags, a snapshot's key, a bucket's policy and default key, a key's
 * policy), read from the emulator behind the enforcer. The lookups are signed with the caller's own
 * access key so moto answers from the caller's account (moto checks no signature and no IAM), and go
 * straight to moto, never through the enforcer. Cached until the emulator is reset or a policy changes.
 */
export class EmulatorFacts {
  private readonly cache = new Map<string, Promise<unknown>>();

  public constructor(private readonly target: string) {}

  public clear(prefix = ''): void {
    for (const k of [...this.cache.keys()]) if (k.startsWith(prefix)) this.cache.delete(k);
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (hit === undefined) {
      hit = load();
      this.cache.set(key, hit);
    }
    return hit;
  }

  private readonly clients = new Map<string, unknown>();
  /** One client per service, caller key and region (building SDK clients per lookup is slow). */
  private client<T>(kind: string, accessKeyId: string, region: string, make: () => T): T {
    const k = `${kind}/${accessKeyId}/${region}`;
    let c = this.clients.get(k) as T | undefined;
    if (c === undefined) {
      c = make();
      this.clients.set(k, c);
    }
    return c;
  }

  private opts(accessKeyId: string, region: string) {
    return {
      region,
      endpoint: this.target,
      credentials: { accessKeyId, secretAccessKey: 'enforcer-lookup' },
      maxAttempts: 2,
    };
  }

  /** The Facts of one request, for a caller in `account`. */
  public forCaller(accessKeyId: string, account: string, region: string, partition = 'aws'): Facts {
    const o = this.opts(accessKeyId, region);
    const at = `${account}/${region}`;
    const ec2 = () => this.client('ec2', accessKeyId, region, () => new EC2Client(o));
    const s3 = () =>
      this.client('s3', accessKeyId, region, () => new S3Client({ ...o, forcePathStyle: true }));
    return {
      partition,
      account,
      ec2Tags: (id) =>
        this.once(`tags/${at}/${id}`, async () => {
          const out = await ec2().send(
            new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }),
          );
          return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
        }),
      // Evidence snapshots are tagged at creation (TagSpecifications), so what is read once stays true.
      snapshot: (id) =>
        this.once(`snapshot/${at}/${id}`, async () => {
          const out = await ec2()
            .send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))
            .catch(() => undefined);
          const s = out?.Snapshots?.[0];
          if (s === undefined) return undefined;
          const tags = Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
          const kmsKeyArn =
            s.Encrypted === true && s.KmsKeyId !== undefined ? await this.keyArn(o, s.KmsKeyId) : undefined;
          return { tags, ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }) };
        }),
      bucketKey: (bucket) =>
        this.once(`bucket-key/${bucket}`, async () => {
          const out = await s3()
            .send(new GetBucketEncryptionCommand({ Bucket: bucket }))
            .catch(() => undefined);
          const rule = out?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
          if (rule?.SSEAlgorithm !== 'aws:kms' || rule.KMSMasterKeyID === undefined) return undefined;
          return this.keyArn(o, rule.KMSMasterKeyID);
        }),
      profileRoles: (profile) =>
        this.once(`profile/${at}/${profile}`, async () => {
          const name = profile.slice(profile.lastIndexOf('/') + 1);
          const out = await new IAMClient(o).send(
            new GetInstanceProfileCommand({ InstanceProfileName: name }),
          );
          return (out.InstanceProfile?.Roles ?? []).map((r) => r.Arn ?? '');
        }),
    };
  }

  private keyArn(o: ReturnType<EmulatorFacts['opts']>, keyId: string): Promise<string> {
    if (keyId.startsWith('arn:') && keyId.includes(':key/')) return Promise.resolve(keyId);
    return this.once(`key-arn/${keyId}`, async () => {
      const out = await new KMSClient(o).send(new DescribeKeyCommand({ KeyId: keyId }));
      return out.KeyMetadata?.Arn ?? keyId;
    });
  }

  /** A bucket's policy (null when it has none). */
  public bucketPolicy(accessKeyId: string, region: string, bucket: string): Promise<PolicyDocument | null> {
    return this.once(`bucket-policy/${bucket}`, async () => {
      const out = await new S3Client({ ...this.opts(accessKeyId, region), forcePathStyle: true })
        .send(new GetBucketPolicyCommand({ Bucket: bucket }))
        .catch(() => undefined);
      return out?.Policy === undefined ? null : (JSON.parse(out.Policy) as PolicyDocument);
    });
  }

  /** A KMS key's key policy (null when the key does not exist, which denies every use of it). */
  public keyPolicy(accessKeyId: string, keyArn: string): Promise<PolicyDocument | null> {
    const region = keyArn.split(':')[3] ?? 'us-east-1';
    return this.once(`key-policy/${keyArn}`, async () => {
      const out = await new KMSClient(this.opts(accessKeyId, region))
        .send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))
        .catch(() => undefined);
      return out?.Policy === undefined ? null : (JSON.parse(out.Policy) as PolicyDocument);
    });
  }
}
