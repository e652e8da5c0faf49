import type { StatementLike } from '../../../../policies/evaluation';
import type { StoreType } from './snapshot-set';

/** A store an identity policy names by ARN, with what the ARN says of where it is. */
export interface NamedStore {
  readonly arn: string;
  readonly type: StoreType;
  readonly region?: string;
  readonly accountId?: string;
}

const list = (v: string | ReadonlyArray<string> | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;
const wild = (s: string) => /[*?]/.test(s);

/**
 * The stores in other accounts that Allow statements name in `Resource` (Deny statements take nothing
 * away from what must be collected; NotResource names nothing):
 * - S3: `arn:aws:s3:::bucket` and `arn:aws:s3:::bucket/key...` name the bucket (S3 ARNs carry no account:
 *   every bucket the account does not own is in another account);
 * - Secrets Manager: `arn:aws:secretsmanager:<region>:<account>:secret:<name>[-suffix|-*|*]`, the name
 *   without the wildcard suffix (a partial ARN identifies the secret);
 * - DynamoDB: `arn:aws:dynamodb:<region>:<account>:table/<name>[/index/...|/stream/...]`.
 * A wildcard in the bucket name, account, region or secret/table name cannot be enumerated: returned apart.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export function namedStores(
  statements: ReadonlyArray<StatementLike>,
  ownAccount: string,
): { stores: NamedStore[]; unenumerable: string[] } {
  const stores = new Map<string, NamedStore>();
  const unenumerable = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    for (const r of list(s.Resource)) {
      const bucket = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/.*)?$/.exec(r);
      if (bucket?.[1] !== undefined) {
        if (wild(bucket[1])) unenumerable.add(r);
        else stores.set(`arn:aws:s3:::${bucket[1]}`, { arn: `arn:aws:s3:::${bucket[1]}`, type: 's3' });
        continue;
      }
      const m = /^arn:(aws[a-z-]*):(secretsmanager|dynamodb):([^:]*):([^:]*):(secret:|table\/)(.+)$/.exec(r);
      if (m === null) continue;
      const [, partition, service, region = '', account = '', kind, rest = ''] = m;
      if (account === ownAccount) continue;
      const name = kind === 'secret:' ? rest.replace(/(-\?{6}|-\*|\*)$/, '') : (rest.split('/')[0] ?? '');
      if (wild(region) || wild(account) || wild(name) || name === '') {
        unenumerable.add(r);
        continue;
      }
      const arn = `arn:${partition}:${service}:${region}:${account}:${kind}${name}`;
      const type = service === 'secretsmanager' ? 'secretsmanager' : 'dynamodb';
      stores.set(arn, { arn, type, region, accountId: account });
    }
  }
  return { stores: [...stores.values()], unenumerable: [...unenumerable] };
}
