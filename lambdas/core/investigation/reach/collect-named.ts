import {
  DescribeTableCommand,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { DocumentLike } from '../../../../policies/evaluation';
import { statementsOf } from '../../../../policies/evaluation/policy-types';
import type { ReachClients } from './collect-reach';
import { locate, readBucket } from './collect-s3';
import {
  type Collected,
  emptyCollected,
  orAbsent,
  parsed,
  perStore,
  policyOf,
  reasonOf,
  tagsOf,
} from './collect-support';
import { type NamedStore, namedStores } from './named-arns';
import { UNKNOWN_ACCOUNT } from './snapshot-set';

const Described = z.object({
  ARN: z.string(),
  KmsKeyId: z.optional(z.string()),
  Tags: z.optional(z.array(z.object({ Key: z.optional(z.string()), Value: z.optional(z.string()) }))),
});
const ResourcePolicy = z.object({ ResourcePolicy: z.optional(z.nullable(z.string())) });

/**
 * Stores in other accounts that the role's identity policies name by ARN (S3 buckets not in the account,
 * secrets and tables with another account id). Their policies are read where their owner allows it (a
 * bucket policy may grant `s3:GetBucketPolicy` across accounts, a secret's `GetResourcePolicy`...); what
 * cannot be read is a store recorded `unknown` with the reason, never left out and never "denied".
 * Grants on stores of any account (`arn:aws:s3:::*`, `...:*:secret:*`) cannot be enumerated: recorded.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html
 */
export async function collectNamedStores(
  clients: Pick<ReachClients, 's3For' | 'secretsFor' | 'dynamodbFor'>,
  policies: ReadonlyArray<DocumentLike>,
  own: { accountId: string; region: string; storeArns: ReadonlySet<string> },
): Promise<Collected> {
  const out = emptyCollected();
  const named = namedStores(
    policies.flatMap((p) => [...statementsOf(p)]),
    own.accountId,
  );
  for (const w of named.unenumerable)
    out.unknown.push({
      what: `stores named by ${w}`,
      reason: 'a wildcard grant on other accounts cannot be enumerated',
    });
  const todo = named.stores.filter((s) => !own.storeArns.has(s.arn));
  const read = await perStore(todo, (s) => readOne(clients, s, own.region));
  for (const r of read) {
    const index = out.stores.length;
    out.stores.push(r.store);
    if (r.policy !== undefined)
      out.resources.push({ arn: r.store.arn, accountId: r.store.accountId, policy: r.policy });
    if (r.keyRef !== undefined) out.keys.push({ store: index, region: r.store.region, ref: r.keyRef });
    const preset = r.store.kmsKeyArn;
    if (preset !== null) out.resources.push({ arn: preset, accountId: r.store.accountId, policy: null });
    out.unknown.push(...r.unknown);
  }
  return out;
}

type Read = {
  store: Collected['stores'][number];
  policy?: DocumentLike | null;
  keyRef?: string;
  unknown: Collected['unknown'];
};

/**
 * A key named by a store in another account, as an ARN in that account (a bare key id or alias name is
 * relative to the store's account, not the collector's).
 */
function qualified(ref: string, region: string, account: string): string {
  if (ref.startsWith('arn:')) return ref;
  return `arn:aws:kms:${region}:${account}:${ref.startsWith('alias/') ? ref : `key/${ref}`}`;
}

/**
 * An AWS managed key (aws/s3, aws/secretsmanager) of another account: it cannot be used across accounts,
 * so data under it is unreadable from here ("you can't use the AWS managed key (aws/secretsmanager) for
 * cross-account access"; S3 likewise needs a customer managed key for cross-account SSE-KMS reads). Its
 * entry has no key policy, which the evaluation denies.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 */
const MANAGED = /^alias\/aws\//;

async function readOne(
  clients: Pick<ReachClients, 's3For' | 'secretsFor' | 'dynamodbFor'>,
  s: NamedStore,
  region: string,
): Promise<Read> {
  const base = {
    arn: s.arn,
    type: s.type,
    region: s.region ?? 'unknown',
    accountId: s.accountId ?? UNKNOWN_ACCOUNT,
    kmsKeyArn: null,
    tags: {},
  };
  try {
    switch (s.type) {
      case 's3': {
        // The S3 clients follow region redirects, so the instance's region reaches a bucket anywhere.
        const name = s.arn.slice('arn:aws:s3:::'.length);
        const [b, at] = await Promise.all([
          readBucket(clients.s3For(region), name),
          // Where the owner lets it be read: a bucket of the instance's region is reached through the
          // VPC's S3 endpoint (a gateway endpoint serves its own region only), another region's is not.
          locate(clients.s3For(region), name).catch(() => 'unknown'),
        ]);
        const store = { ...base, region: at, tags: b.tags, publicAccessBlock: b.publicAccessBlock };
        if (b.keyRef === undefined) return { store, policy: b.policy, unknown: [] };
        // A key of a bucket whose account is unknown is usable only when the bucket names its ARN.
        if (MANAGED.test(b.keyRef))
          return {
            store: { ...store, kmsKeyArn: qualified(b.keyRef, 'unknown', base.accountId) },
            policy: b.policy,
            unknown: [],
          };
        if (!b.keyRef.startsWith('arn:'))
          return {
            store: {
              ...store,
              unknown: `default encryption key ${b.keyRef} named without its ARN in another account`,
            },
            unknown: [],
          };
        return { store, policy: b.policy, keyRef: b.keyRef, unknown: [] };
      }
      case 'secretsmanager': {
        const api = clients.secretsFor(base.region);
        // A partial ARN (without the random suffix) is accepted as SecretId.
        // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
        const d = parsed(
          Described,
          await api.send({ operation: 'DescribeSecret', input: { SecretId: s.arn } }),
          'DescribeSecret',
        );
        const p = parsed(
          ResourcePolicy,
          await api.send({ operation: 'GetResourcePolicy', input: { SecretId: d.ARN } }),
          'GetResourcePolicy',
        );
        const managed = d.KmsKeyId === undefined || MANAGED.test(d.KmsKeyId);
        const keyArn = qualified(d.KmsKeyId ?? 'alias/aws/secretsmanager', base.region, base.accountId);
        return {
          store: { ...base, arn: d.ARN, tags: tagsOf(d.Tags), ...(managed ? { kmsKeyArn: keyArn } : {}) },
          policy: policyOf(p.ResourcePolicy),
          ...(managed ? {} : { keyRef: keyArn }),
          unknown: [],
        };
      }
      case 'dynamodb': {
        const ddb = clients.dynamodbFor(base.region);
        const [described, policy] = await Promise.all([
          ddb.send(new DescribeTableCommand({ TableName: s.arn })),
          orAbsent(
            async () => (await ddb.send(new GetResourcePolicyCommand({ ResourceArn: s.arn }))).Policy,
            ['PolicyNotFoundException'],
            undefined,
          ),
        ]);
        const unknown: Collected['unknown'] = [];
        const tags = await ddb
          .send(new ListTagsOfResourceCommand({ ResourceArn: s.arn }))
          .then((t) => tagsOf(t.Tags))
          .catch((err: unknown) => {
            unknown.push({ what: `tags of ${s.arn}`, reason: reasonOf(err) });
            return {};
          });
        const sse = described.Table?.SSEDescription;
        const keyArn = sse?.SSEType === 'KMS' ? sse.KMSMasterKeyArn : undefined;
        return {
          store: { ...base, tags },
          policy: policyOf(policy),
          ...(keyArn !== undefined ? { keyRef: keyArn } : {}),
          unknown,
        };
      }
      default:
        return { store: { ...base, unknown: 'not collected across accounts' }, unknown: [] };
    }
  } catch (err) {
    return { store: { ...base, unknown: reasonOf(err) }, unknown: [] };
  }
}
