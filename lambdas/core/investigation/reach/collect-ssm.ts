import * as z from 'zod/mini';
import { type Collected, emptyCollected, parsed, perStore, reasonOf, tagsOf } from './collect-support';
import { type JsonApi, pages } from './json-api';
import { parameterArn } from './store-reads';

const DescribePage = z.object({
  Parameters: z._default(
    z.array(z.object({ Name: z.string(), Type: z.optional(z.string()), KeyId: z.optional(z.string()) })),
    [],
  ),
});
const TagList = z.object({
  TagList: z._default(z.array(z.object({ Key: z.optional(z.string()), Value: z.optional(z.string()) })), []),
});

/**
 * The SecureString parameters of one region with their KMS key and tags. DescribeParameters (up to 50 per
 * page, NextToken, filtered on Type = SecureString) carries each parameter's KeyId (`alias/aws/ssm` when
 * the AWS managed key); parameters have no resource policy. Tags need ListTagsForResource per parameter,
 * read only when classification tags are configured, concurrently per page.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListTagsForResource.html
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html
 */
export async function collectParameters(
  api: JsonApi,
  region: string,
  accountId: string,
  readTags: boolean,
): Promise<Collected> {
  const out = emptyCollected();
  try {
    const input = {
      MaxResults: 50,
      ParameterFilters: [{ Key: 'Type', Option: 'Equals', Values: ['SecureString'] }],
    };
    for await (const raw of pages(api, 'DescribeParameters', input)) {
      const page = parsed(DescribePage, raw, 'DescribeParameters');
      const params = page.Parameters.filter((p) => p.Type === undefined || p.Type === 'SecureString');
      const tags = await perStore(params, async (p) => {
        if (!readTags) return { tags: {} };
        try {
          const r = await api.send({
            operation: 'ListTagsForResource',
            input: { ResourceType: 'Parameter', ResourceId: p.Name },
          });
          return { tags: tagsOf(parsed(TagList, r, 'ListTagsForResource').TagList) };
        } catch (err) {
          return { error: reasonOf(err) };
        }
      });
      params.forEach((p, i) => {
        const t = tags[i] ?? { error: 'not read' };
        const arn = parameterArn(region, accountId, p.Name);
        const index = out.stores.length;
        const base = { arn, type: 'ssm' as const, region, accountId, kmsKeyArn: null };
        if ('error' in t) out.stores.push({ ...base, tags: {}, unknown: `ListTagsForResource: ${t.error}` });
        else out.stores.push({ ...base, tags: t.tags });
        out.keys.push({ store: index, region, ref: p.KeyId ?? 'alias/aws/ssm' });
      });
    }
  } catch (err) {
    out.unknown.push({ what: `ssm:DescribeParameters ${region}`, reason: reasonOf(err) });
  }
  return out;
}
