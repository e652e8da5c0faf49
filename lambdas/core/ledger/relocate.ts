import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerClients } from '../clients';
import { awsErrorName, LedgerError } from '../errors';
import { getQuarantine } from './ledger';
import { type LedgerAction, lockKey, type QuarantineRecord, RESUMABLE_STATES, recordKey } from './record';

export type RelocateResult =
  /** The record now names `region` (this call moved it, or an earlier attempt did). */
  | { readonly status: 'relocated'; readonly record: QuarantineRecord }
  /** Another quarantine holds the instance in `region`: this one is a duplicate of it. */
  | { readonly status: 'duplicate'; readonly existingQuarantineId: string };

/**
 * Moves a quarantine to the Region its instance was found in. One transaction claims the instance's lock
 * there (absent, or already this quarantine's) and rewrites the record's `instance.region`, keeping the
 * finding's Region as `instance.findingRegion`; the finding's lock stays held (see heldLockKeys), so a
 * republished finding joins this quarantine and release frees both. DynamoDB applies all of it or none,
 * so a lock claimed for a record that was not moved cannot exist, and two quarantines can never hold the
 * same instance's lock.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 *
 * Retry-safe: a repeat after success fails only the record's condition (it no longer names the
 * finding's Region) and is answered from the record as it is. A cancellation names the failed condition
 * per item, in request order; a conflict with another transaction (`TransactionConflict`) is thrown so
 * the step is retried.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
 */
export async function relocateQuarantine(
  l: LedgerClients,
  record: QuarantineRecord,
  region: string,
  action: LedgerAction,
  now = new Date(),
): Promise<RelocateResult> {
  const { quarantineId, instance } = record;
  const from = instance.region;
  const lock = lockKey({ region, instanceId: instance.instanceId });
  const values: Record<string, unknown> = {
    ':to': region,
    ':from': from,
    ':now': now.toISOString(),
    ':a': [action],
    ':e': [],
  };
  RESUMABLE_STATES.forEach((s, i) => {
    values[`:s${i}`] = s;
  });
  try {
    await l.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: l.tableName,
              Item: { pk: lock, quarantineId, createdAt: now.toISOString(), findingRegion: from },
              ConditionExpression: 'attribute_not_exists(pk) OR quarantineId = :id',
              ExpressionAttributeValues: { ':id': quarantineId },
            },
          },
          {
            Update: {
              TableName: l.tableName,
              Key: { pk: recordKey(quarantineId) },
              UpdateExpression:
                'SET #i.#r = :to, #i.findingRegion = :from, updatedAt = :now, ' +
                'actions = list_append(if_not_exists(actions, :e), :a)',
              ConditionExpression: `#i.#r = :from AND #state IN (${RESUMABLE_STATES.map((_, i) => `:s${i}`).join(', ')})`,
              ExpressionAttributeNames: { '#i': 'instance', '#r': 'region', '#state': 'state' },
              ExpressionAttributeValues: values,
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (awsErrorName(err) !== 'TransactionCanceledException') throw err;
    const [lockReason, recordReason] = cancellationCodes(err);
    if (lockReason === 'ConditionalCheckFailed') {
      const holder = await lockHolder(l, lock);
      if (holder !== undefined && holder !== quarantineId)
        return { status: 'duplicate', existingQuarantineId: holder };
      throw new LedgerError(`lock ${lock} changed while ${quarantineId} was moving; retry`, { cause: err });
    }
    if (recordReason !== 'ConditionalCheckFailed') throw err;
    const current = await getQuarantine(l, quarantineId);
    if (current?.instance.region === region) return { status: 'relocated', record: current };
    throw new LedgerError(
      `quarantine ${quarantineId} cannot move to ${region}: it is ${current?.state ?? 'missing'} in ` +
        `${current?.instance.region ?? 'no region'}`,
      { cause: err },
    );
  }
  // The transaction's conditions prove the record was as read and is now moved: no read-back before the
  // network cut.
  return {
    status: 'relocated',
    record: {
      ...record,
      instance: { ...instance, region, findingRegion: from },
      updatedAt: now.toISOString(),
      actions: [...record.actions, action],
    },
  };
}

/** The Code of each item's CancellationReason, in the order of TransactItems (`None` when it passed). */
function cancellationCodes(err: unknown): Array<string | undefined> {
  const reasons =
    typeof err === 'object' && err !== null && 'CancellationReasons' in err ? err.CancellationReasons : [];
  return Array.isArray(reasons)
    ? reasons.map((r: unknown) =>
        typeof r === 'object' && r !== null && 'Code' in r && typeof r.Code === 'string' ? r.Code : undefined,
      )
    : [];
}

async function lockHolder(l: LedgerClients, pk: string): Promise<string | undefined> {
  const res = await l.ddb.send(new GetCommand({ TableName: l.tableName, Key: { pk }, ConsistentRead: true }));
  const id = res.Item?.quarantineId;
  return typeof id === 'string' ? id : undefined;
}
