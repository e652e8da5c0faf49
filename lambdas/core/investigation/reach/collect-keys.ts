import { DescribeKeyCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type Collected, policyOf, type ResourceEntry, reasonOf } from './collect-support';

/**
 * Resolves the keys the stores name (key id, key ARN, alias name or alias ARN) to key ARNs with
 * DescribeKey, and reads each distinct key's policy once with GetKeyPolicy (the only policy name is
 * `default`). A key whose policy cannot be read leaves its stores unknown: a key missing from the
 * snapshot would otherwise read as "no key policy", which denies.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 * AWS managed keys (aws/s3, aws/secretsmanager, ...) have key policies too, readable by the account.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * A key of another account (a store elsewhere, or a bucket encrypted under a foreign key) resolves with
 * DescribeKey (cross-account by ARN), but its policy cannot be read: "GetKeyPolicy ... Cross-account use:
 * No". Its stores are unknown, not guessed.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 */
export async function resolveKeys(
  kmsFor: (region: string) => KMSClient,
  collected: Collected,
  accountId: string,
): Promise<ResourceEntry[]> {
  const refs = new Map<string, { region: string; ref: string }>();
  for (const k of collected.keys) refs.set(`${k.region} ${k.ref}`, { region: k.region, ref: k.ref });
  const arnOf = new Map<string, string | { error: string }>();
  await Promise.all(
    [...refs].map(async ([id, { region, ref }]) => {
      try {
        const d = await kmsFor(region).send(new DescribeKeyCommand({ KeyId: ref }));
        arnOf.set(id, d.KeyMetadata?.Arn ?? { error: 'DescribeKey returned no ARN' });
      } catch (err) {
        arnOf.set(id, { error: `DescribeKey ${ref}: ${reasonOf(err)}` });
      }
    }),
  );
  const keyArns = new Set([...arnOf.values()].filter((a): a is string => typeof a === 'string'));
  const policies = new Map<string, ResourceEntry | { error: string }>();
  await Promise.all(
    [...keyArns].map(async (arn) => {
      const region = arn.split(':')[3] ?? '';
      if (arn.split(':')[4] !== accountId) {
        policies.set(arn, {
          error: `key policy of ${arn}: GetKeyPolicy cannot read a key of another account`,
        });
        return;
      }
      try {
        const r = await kmsFor(region).send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
        policies.set(arn, { arn, accountId: arn.split(':')[4] ?? '', policy: policyOf(r.Policy) });
      } catch (err) {
        policies.set(arn, { error: `GetKeyPolicy ${arn}: ${reasonOf(err)}` });
      }
    }),
  );
  for (const k of collected.keys) {
    const store = collected.stores[k.store];
    const arn = arnOf.get(`${k.region} ${k.ref}`);
    if (store === undefined || arn === undefined) continue;
    if (typeof arn !== 'string') {
      store.unknown ??= arn.error;
      continue;
    }
    store.kmsKeyArn = arn;
    const policy = policies.get(arn);
    if (policy !== undefined && 'error' in policy) store.unknown ??= policy.error;
  }
  return [...policies.values()].filter((p): p is ResourceEntry => !('error' in p));
}
