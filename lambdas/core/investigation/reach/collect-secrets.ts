import * as z from 'zod/mini';
import {
  type Collected,
  emptyCollected,
  parsed,
  perStore,
  policyOf,
  reasonOf,
  tagsOf,
} from './collect-support';
import { type JsonApi, pages } from './json-api';

const Tag = z.object({ Key: z.optional(z.string()), Value: z.optional(z.string()) });
const ListSecretsPage = z.object({
  SecretList: z._default(
    z.array(z.object({ ARN: z.string(), KmsKeyId: z.optional(z.string()), Tags: z.optional(z.array(Tag)) })),
    [],
  ),
});
const ResourcePolicy = z.object({ ResourcePolicy: z.optional(z.nullable(z.string())) });

/**
 * The secrets of one region with their resource policy and KMS key. ListSecrets (up to 100 per page,
 * NextToken) already carries each secret's KmsKeyId and Tags, so the only per-secret call is
 * GetResourcePolicy (no ResourcePolicy field = no policy). A secret without KmsKeyId is encrypted with the
 * AWS managed key `aws/secretsmanager`.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export async function collectSecrets(api: JsonApi, region: string, accountId: string): Promise<Collected> {
  const out = emptyCollected();
  try {
    for await (const raw of pages(api, 'ListSecrets', { MaxResults: 100 })) {
      const page = parsed(ListSecretsPage, raw, 'ListSecrets');
      const policies = await perStore(page.SecretList, async (s) => {
        try {
          const r = parsed(
            ResourcePolicy,
            await api.send({ operation: 'GetResourcePolicy', input: { SecretId: s.ARN } }),
            'GetResourcePolicy',
          );
          return { policy: policyOf(r.ResourcePolicy) };
        } catch (err) {
          return { error: reasonOf(err) };
        }
      });
      page.SecretList.forEach((s, i) => {
        const p = policies[i] ?? { error: 'not read' };
        const index = out.stores.length;
        const base = {
          arn: s.ARN,
          type: 'secretsmanager' as const,
          region,
          accountId,
          kmsKeyArn: null,
          tags: tagsOf(s.Tags),
        };
        if ('error' in p) {
          out.stores.push({ ...base, unknown: `GetResourcePolicy: ${p.error}` });
          return;
        }
        out.stores.push(base);
        out.resources.push({ arn: s.ARN, accountId, policy: p.policy });
        out.keys.push({ store: index, region, ref: s.KmsKeyId ?? 'alias/aws/secretsmanager' });
      });
    }
  } catch (err) {
    out.unknown.push({ what: `secretsmanager:ListSecrets ${region}`, reason: reasonOf(err) });
  }
  return out;
}
