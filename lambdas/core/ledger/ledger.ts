import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerClients } from '../clients';
import { awsErrorName, LedgerError } from '../errors';
import type { QuarantineRequest } from '../schemas/quarantine-request';
import {
  heldLockKeys,
  type LedgerAction,
  lockKey,
  QuarantineRecord,
  type QuarantineState,
  recordKey,
} from './record';

export interface ClaimResult {
  readonly record: QuarantineRecord;
  /** false when another request already holds the instance: the caller joins that quarantine. */
  readonly created: boolean;
}

/**
 * Claims the instance for one quarantine. The lock item and the record are written in one transaction
 * conditioned on the lock not existing, so concurrent duplicate triggers produce exactly one record.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
export async function claimQuarantine(
  l: LedgerClients,
  req: QuarantineRequest,
  now = new Date(),
): Promise<ClaimResult> {
  const quarantineId = `q-${randomUUID()}`;
  const at = now.toISOString();
  const record: QuarantineRecord = {
    pk: recordKey(quarantineId),
    quarantineId,
    instance: req.instance,
    incidentId: req.incidentId,
    reason: req.reason,
    trigger: req.trigger,
    options: req.options,
    state: 'requested',
    createdAt: at,
    updatedAt: at,
    preState: {},
    changes: {},
    actions: [{ at, actor: actorOf(req), step: 'request', outcome: 'ok', detail: { reason: req.reason } }],
  };
  try {
    await l.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: l.tableName,
              Item: { pk: lockKey(req.instance), quarantineId, createdAt: at },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: l.tableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return { record, created: true };
  } catch (err) {
    if (awsErrorName(err) !== 'TransactionCanceledException') throw err;
    const existing = await findActiveQuarantine(l, req.instance);
    if (existing === undefined)
      throw new LedgerError('claim conflicted but no active quarantine found', { cause: err });
    return { record: existing, created: false };
  }
}

export function actorOf(req: Pick<QuarantineRequest, 'trigger'>): string {
  return req.trigger.kind === 'guardduty' ? `guardduty:${req.trigger.findingId}` : req.trigger.principalArn;
}

export async function findActiveQuarantine(
  l: LedgerClients,
  instance: { region: string; instanceId: string },
): Promise<QuarantineRecord | undefined> {
  const lock = await l.ddb.send(
    new GetCommand({ TableName: l.tableName, Key: { pk: lockKey(instance) }, ConsistentRead: true }),
  );
  const id = lock.Item?.quarantineId;
  return typeof id === 'string' ? getQuarantine(l, id) : undefined;
}

export async function getQuarantine(
  l: LedgerClients,
  quarantineId: string,
): Promise<QuarantineRecord | undefined> {
  const res = await l.ddb.send(
    new GetCommand({ TableName: l.tableName, Key: { pk: recordKey(quarantineId) }, ConsistentRead: true }),
  );
  return res.Item === undefined ? undefined : QuarantineRecord.parse(res.Item);
}

export interface RecordUpdate {
  readonly actions?: ReadonlyArray<LedgerAction>;
  readonly state?: QuarantineState;
  /** Only move to `state` from one of these; a mismatch throws LedgerError and writes nothing. */
  readonly fromStates?: ReadonlyArray<QuarantineState>;
  /** Top-level attributes to set (networkCutAt, failure, evidence...). */
  readonly set?: Readonly<Record<string, unknown>>;
  /** Entries of the preState / changes maps; preState entries are written only once (never overwritten). */
  readonly preState?: Readonly<Record<string, unknown>>;
  readonly changes?: Readonly<Record<string, unknown>>;
}

/** Appends actions and updates fields of one record in a single conditional UpdateItem. */
export async function updateQuarantine(
  l: LedgerClients,
  quarantineId: string,
  u: RecordUpdate,
  now = new Date(),
): Promise<void> {
  const sets = ['updatedAt = :now'];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': now.toISOString() };
  let n = 0;
  const add = (expr: (name: string, value: string) => string, key: string, value: unknown) => {
    n += 1;
    names[`#k${n}`] = key;
    values[`:v${n}`] = value;
    sets.push(expr(`#k${n}`, `:v${n}`));
  };
  if (u.actions !== undefined && u.actions.length > 0) {
    values[':empty'] = [];
    values[':actions'] = u.actions;
    sets.push('actions = list_append(if_not_exists(actions, :empty), :actions)');
  }
  if (u.state !== undefined) add((k, v) => `${k} = ${v}`, 'state', u.state);
  for (const [key, value] of Object.entries(u.set ?? {})) add((k, v) => `${k} = ${v}`, key, value);
  for (const [key, value] of Object.entries(u.preState ?? {})) {
    add((k, v) => `preState.${k} = if_not_exists(preState.${k}, ${v})`, key, value);
  }
  for (const [key, value] of Object.entries(u.changes ?? {}))
    add((k, v) => `changes.${k} = ${v}`, key, value);

  let condition = 'attribute_exists(pk)';
  if (u.fromStates !== undefined) {
    names['#state'] = 'state';
    const keys = u.fromStates.map((s, i) => {
      values[`:from${i}`] = s;
      return `:from${i}`;
    });
    condition += ` AND #state IN (${keys.join(', ')})`;
  }
  try {
    await l.ddb.send(
      new UpdateCommand({
        TableName: l.tableName,
        Key: { pk: recordKey(quarantineId) },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (err) {
    if (awsErrorName(err) === 'ConditionalCheckFailedException') {
      throw new LedgerError(
        `quarantine ${quarantineId} is missing or not in ${u.fromStates?.join('/') ?? 'any'} state`,
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Ends a quarantine's hold on its instance (release, refusal), so a later trigger starts a new one: every
 * lock it holds (a moved quarantine holds two, see heldLockKeys) goes in the same transaction.
 */
export async function releaseLock(
  l: LedgerClients,
  quarantineId: string,
  instance: { region: string; instanceId: string; findingRegion?: string },
  final: {
    state: QuarantineState;
    actions: ReadonlyArray<LedgerAction>;
    fromStates: ReadonlyArray<QuarantineState>;
  },
  now = new Date(),
): Promise<void> {
  const names = { '#state': 'state' };
  const values: Record<string, unknown> = {
    ':s': final.state,
    ':now': now.toISOString(),
    ':a': final.actions,
    ':e': [],
  };
  final.fromStates.forEach((s, i) => {
    values[`:f${i}`] = s;
  });
  try {
    await l.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: l.tableName,
              Key: { pk: recordKey(quarantineId) },
              UpdateExpression:
                'SET #state = :s, updatedAt = :now, actions = list_append(if_not_exists(actions, :e), :a)',
              ConditionExpression: `#state IN (${final.fromStates.map((_, i) => `:f${i}`).join(', ')})`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          ...heldLockKeys(instance).map((pk) => ({
            Delete: {
              TableName: l.tableName,
              Key: { pk },
              ConditionExpression: 'attribute_not_exists(pk) OR quarantineId = :id',
              ExpressionAttributeValues: { ':id': quarantineId },
            },
          })),
        ],
      }),
    );
  } catch (err) {
    if (awsErrorName(err) === 'TransactionCanceledException') {
      throw new LedgerError(
        `quarantine ${quarantineId} cannot become ${final.state} from its current state`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}
