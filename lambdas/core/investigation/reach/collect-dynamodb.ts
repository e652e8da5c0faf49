import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
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
 * The tables of one region with their resource policy, encryption key and tags.
 * - ListTables pages with ExclusiveStartTableName/LastEvaluatedTableName (up to 100 per page).
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
 * - DescribeTable's SSEDescription names the KMS key (SSEType KMS, KMSMasterKeyArn); without it the table
 *   is under an AWS owned key, outside the account's KMS.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSEDescription.html
 * - GetResourcePolicy answers PolicyNotFoundException when the table has none.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetResourcePolicy.html
 * - ListTagsOfResource pages with NextToken.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
 */
export async function collectTables(
  ddb: DynamoDBClient,
  region: string,
  accountId: string,
): Promise<Collected> {
  const out = emptyCollected();
  try {
    for await (const page of paginateListTables({ client: ddb, pageSize: 100 }, {})) {
      const names = page.TableNames ?? [];
      const facts = await perStore(names, async (name) => {
        const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        try {
          const [described, policy, tags] = await Promise.all([
            ddb.send(new DescribeTableCommand({ TableName: name })),
            orAbsent(
              async () => (await ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy,
              ['PolicyNotFoundException'],
              undefined,
            ),
            tableTags(ddb, arn),
          ]);
          const sse = described.Table?.SSEDescription;
          const keyArn = sse?.SSEType === 'KMS' ? sse.KMSMasterKeyArn : undefined;
          return { arn, policy: policyOf(policy), tags, keyArn };
        } catch (err) {
          return { arn, error: reasonOf(err) };
        }
      });
      for (const f of facts) {
        const index = out.stores.length;
        const base = { arn: f.arn, type: 'dynamodb' as const, region, accountId, kmsKeyArn: null };
        if ('error' in f) {
          out.stores.push({ ...base, tags: {}, unknown: f.error });
          continue;
        }
        out.stores.push({ ...base, tags: f.tags });
        out.resources.push({ arn: f.arn, accountId, policy: f.policy });
        if (f.keyArn !== undefined) out.keys.push({ store: index, region, ref: f.keyArn });
      }
    }
  } catch (err) {
    out.unknown.push({ what: `dynamodb:ListTables ${region}`, reason: reasonOf(err) });
  }
  return out;
}

async function tableTags(ddb: DynamoDBClient, arn: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: token }));
    Object.assign(tags, tagsOf(page.Tags));
    token = page.NextToken;
  } while (token !== undefined);
  return tags;
}
