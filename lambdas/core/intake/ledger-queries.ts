import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerClients } from '../clients';
import { InvalidInputError } from '../errors';
import { QuarantineRecord, type QuarantineState } from '../ledger/record';

export interface ListQuery {
  readonly instanceId?: string;
  readonly state?: QuarantineState;
  /** At most this many records per page. */
  readonly limit: number;
  /** Opaque token from the previous page. */
  readonly nextToken?: string;
}

export interface ListPage {
  readonly items: ReadonlyArray<QuarantineRecord>;
  readonly nextToken?: string;
}

/** Items DynamoDB reads per Scan call, and Scan calls per page: bounds one request's latency and cost. */
const SCAN_PAGE = 200;
const MAX_SCANS = 10;

/**
 * Lists quarantine records, optionally filtered by instance and state, one page at a time.
 *
 * NOTE: a Scan with a filter reads the whole table over the pages; that is fine for a ledger of
 * thousands of quarantines. When it grows, add a global secondary index on instanceId (and one on
 * state) to the table and Query it here; the page/token contract does not change.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.FilterExpression
 *
 * Scan's Limit counts items read before the filter, so a page can end early; when more matches come
 * back than fit, the page ends at the last kept item and its key becomes the token: DynamoDB accepts any
 * item's key as ExclusiveStartKey and continues after it in scan order.
 */
export async function listQuarantines(l: LedgerClients, q: ListQuery): Promise<ListPage> {
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = { ':q': 'Q#' };
  const filters = ['begins_with(#pk, :q)'];
  if (q.instanceId !== undefined) {
    names['#instance'] = 'instance';
    names['#iid'] = 'instanceId';
    values[':iid'] = q.instanceId;
    filters.push('#instance.#iid = :iid');
  }
  if (q.state !== undefined) {
    names['#state'] = 'state';
    values[':state'] = q.state;
    filters.push('#state = :state');
  }
  const items: QuarantineRecord[] = [];
  let startKey = q.nextToken === undefined ? undefined : decodeToken(q.nextToken);
  for (let scans = 0; scans < MAX_SCANS; scans++) {
    const page = await l.ddb.send(
      new ScanCommand({
        TableName: l.tableName,
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: SCAN_PAGE,
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const raw of page.Items ?? []) {
      const rec = QuarantineRecord.safeParse(raw);
      if (rec.success) items.push(rec.data);
      if (items.length === q.limit) {
        const more = raw !== page.Items?.at(-1) || page.LastEvaluatedKey !== undefined;
        return { items, ...(more ? { nextToken: encodeToken({ pk: String(raw.pk) }) } : {}) };
      }
    }
    startKey = page.LastEvaluatedKey as { pk: string } | undefined;
    if (startKey === undefined) return { items };
  }
  return { items, ...(startKey === undefined ? {} : { nextToken: encodeToken(startKey) }) };
}

function encodeToken(key: { pk: string }): string {
  return Buffer.from(JSON.stringify({ pk: key.pk }), 'utf8').toString('base64url');
}

/** Only a record key the list itself could have produced is accepted as a starting point. */
function decodeToken(token: string): { pk: string } {
  try {
    const doc: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof doc === 'object' &&
      doc !== null &&
      'pk' in doc &&
      typeof doc.pk === 'string' &&
      /^Q#q-[0-9a-f-]{36}$/.test(doc.pk)
    ) {
      return { pk: doc.pk };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError('nextToken: is not a token this API returned', 'nextToken');
}
