import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LedgerClients } from '../lambdas/core/clients';

/** The ledger table as the Pulumi stack declares it, for the emulator (one string key `pk`). */
export async function createLedgerTable(l: LedgerClients): Promise<void> {
  const ddb = l.ddb as unknown as DynamoDBClient;
  await ddb.send(
    new CreateTableCommand({
      TableName: l.tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
