import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createLedgerClients } from '../../lambdas/core/clients';
import { LedgerError } from '../../lambdas/core/errors';
import { action } from '../../lambdas/core/isolation/engine-config';
import {
  claimQuarantine,
  findActiveQuarantine,
  getQuarantine,
  releaseLock,
} from '../../lambdas/core/ledger/ledger';
import type { QuarantineRecord } from '../../lambdas/core/ledger/record';
import { relocateQuarantine } from '../../lambdas/core/ledger/relocate';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { freshMoto, type MotoEnv } from '../support/moto';

const EXFILTRATION = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS';
const moveAction = () => action('sequester-isolate', 'relocate', 'ok', { region: 'us-east-1' });

/** A claim as intake makes it for a credential-exfiltration finding reported in `region`. */
function request(instanceId: string, region: string) {
  return parseQuarantineRequest({
    instance: { instanceId, region, accountId: '123456789012' },
    reason: `GuardDuty ${EXFILTRATION} (severity 8) on ${instanceId}`,
    trigger: { kind: 'guardduty', findingId: 'eb1f51f739141beb19ef5243a1f8eb9f', findingType: EXFILTRATION },
  });
}

/**
 * The move of a quarantine to its instance's Region against moto's DynamoDB: one table for the file,
 * every test on its own instance id so they share it without seeing each other.
 */
describe('Function: relocateQuarantine', () => {
  let env: MotoEnv;
  let n = 0;
  const nextInstance = () => {
    n += 1;
    return `i-0aa0000000000${String(n).padStart(4, '0')}`;
  };
  const lockHolder = async (pk: string) =>
    (await env.ledger.ddb.send(new GetCommand({ TableName: env.ledger.tableName, Key: { pk } }))).Item
      ?.quarantineId;
  const claimIn = async (instanceId: string, region: string): Promise<QuarantineRecord> => {
    const c = await claimQuarantine(env.ledger, request(instanceId, region));
    if (!c.created) throw new Error('claim joined an existing quarantine');
    return c.record;
  };

  beforeAll(async () => {
    env = await freshMoto();
  });

  it("moves the record and claims the instance's lock in its Region, keeping the finding's lock", async () => {
    // Prepare
    const id = nextInstance();
    const rec = await claimIn(id, 'us-west-2');
    // Act
    const out = await relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction());
    // Assess
    if (out.status !== 'relocated') throw new Error(out.status);
    const stored = await getQuarantine(env.ledger, rec.quarantineId);
    expect(stored?.instance).toEqual({
      instanceId: id,
      region: 'us-east-1',
      accountId: '123456789012',
      findingRegion: 'us-west-2',
    });
    expect(out.record).toEqual(stored);
    expect(stored?.actions.map((a) => a.step)).toEqual(['request', 'relocate']);
    expect(await lockHolder(`I#us-east-1#${id}`)).toBe(rec.quarantineId);
    expect(await lockHolder(`I#us-west-2#${id}`)).toBe(rec.quarantineId);
    // A trigger in either Region finds this quarantine.
    expect(
      (await findActiveQuarantine(env.ledger, { region: 'us-west-2', instanceId: id }))?.quarantineId,
    ).toBe(rec.quarantineId);
  });

  it('answers a repeat after success from the record, writing nothing twice (a retried step)', async () => {
    const id = nextInstance();
    const rec = await claimIn(id, 'us-west-2');
    await relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction());
    // Act: the step is retried with the record it read before the move.
    const again = await relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction());
    // Assess
    expect(again).toMatchObject({ status: 'relocated', record: { instance: { region: 'us-east-1' } } });
    const stored = await getQuarantine(env.ledger, rec.quarantineId);
    expect(stored?.actions.filter((a) => a.step === 'relocate')).toHaveLength(1);
  });

  it('reports a duplicate naming the quarantine that holds the instance, and writes nothing', async () => {
    // Prepare: a direct finding in the instance's Region claimed it first.
    const id = nextInstance();
    const holder = await claimIn(id, 'us-east-1');
    const rec = await claimIn(id, 'us-west-2');
    // Act
    const out = await relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction());
    // Assess
    expect(out).toEqual({ status: 'duplicate', existingQuarantineId: holder.quarantineId });
    expect(await getQuarantine(env.ledger, rec.quarantineId)).toEqual(rec);
    expect(await lockHolder(`I#us-east-1#${id}`)).toBe(holder.quarantineId);
    expect(await lockHolder(`I#us-west-2#${id}`)).toBe(rec.quarantineId);
  });

  it('refuses to move a quarantine that has ended, and claims nothing', async () => {
    const id = nextInstance();
    const rec = await claimIn(id, 'us-west-2');
    await releaseLock(env.ledger, rec.quarantineId, rec.instance, {
      state: 'refused',
      fromStates: ['requested'],
      actions: [],
    });
    await expect(relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction())).rejects.toThrow(LedgerError);
    expect(await lockHolder(`I#us-east-1#${id}`)).toBeUndefined();
  });

  it('releasing a moved quarantine frees both its locks, so a new trigger starts a new quarantine', async () => {
    const id = nextInstance();
    const rec = await claimIn(id, 'us-west-2');
    const out = await relocateQuarantine(env.ledger, rec, 'us-east-1', moveAction());
    if (out.status !== 'relocated') throw new Error(out.status);
    // Act: what release.ts (and a refusal after the move) does, with the record as it is now.
    await releaseLock(env.ledger, rec.quarantineId, out.record.instance, {
      state: 'refused',
      fromStates: ['requested'],
      actions: [],
    });
    // Assess
    expect(await lockHolder(`I#us-east-1#${id}`)).toBeUndefined();
    expect(await lockHolder(`I#us-west-2#${id}`)).toBeUndefined();
    expect((await claimQuarantine(env.ledger, request(id, 'us-east-1'))).created).toBe(true);
  });
});

describe('Function: relocateQuarantine (cancellation reasons)', () => {
  const ledger = createLedgerClients(
    { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 },
    'ledger',
  );
  const ddb = mockClient(ledger.ddb as DynamoDBDocumentClient);
  afterEach(() => ddb.reset());
  const cancelled = (codes: string[]) =>
    Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({ Code })),
    });
  const at = '2026-11-25T03:12:41.000Z';
  const record: QuarantineRecord = {
    pk: 'Q#q-00000000-0000-0000-0000-000000000001',
    quarantineId: 'q-00000000-0000-0000-0000-000000000001',
    instance: { instanceId: 'i-0abc1234def567890', region: 'us-west-2', accountId: '123456789012' },
    incidentId: 'GD-eb1f51f739141beb19ef5243a1f8eb9f',
    reason: `GuardDuty ${EXFILTRATION} (severity 8) on i-0abc1234def567890`,
    trigger: { kind: 'guardduty', findingId: 'eb1f51f739141beb19ef5243a1f8eb9f', findingType: EXFILTRATION },
    options: {},
    state: 'requested',
    createdAt: at,
    updatedAt: at,
    preState: {},
    changes: {},
    actions: [],
  };

  it('throws a conflict with another transaction so the step is retried, reading nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None']));
    await expect(relocateQuarantine(ledger, record, 'us-east-1', moveAction())).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('throws when the lock condition failed but the lock is gone by the time it is read', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    ddb.on(GetCommand).resolves({});
    await expect(relocateQuarantine(ledger, record, 'us-east-1', moveAction())).rejects.toThrow(LedgerError);
  });
});
