import type { IsolationClients, LedgerClients } from '../clients';
import { RefusedError } from '../errors';
import type { QuarantineRecord } from '../ledger/record';
import { relocateQuarantine } from '../ledger/relocate';
import type { QuarantineRequest } from '../schemas/quarantine-request';
import { isCredentialExfiltration } from '../schemas/trigger';
import { action } from './engine-config';
import { type Described, type RegionLookup, type RegionSearch, searchRegions } from './region-search';

/** A claimed quarantine with what DescribeInstances said about its instance, and the clients that asked. */
export interface Located {
  readonly clients: IsolationClients;
  readonly record: QuarantineRecord;
  readonly req: QuarantineRequest;
  readonly described: Described;
}

/** Whether the instance is to be looked for in the other covered Regions (see isCredentialExfiltration). */
export function shouldSearchElsewhere(t: {
  readonly record: Pick<QuarantineRecord, 'instance'>;
  readonly req: QuarantineRequest;
  readonly described: Described;
}): boolean {
  return (
    !t.described.ok &&
    t.described.e instanceof RefusedError &&
    t.described.e.code === 'NOT_FOUND' &&
    isCredentialExfiltration(t.req.trigger) &&
    // Moved already: the instance's Region is known, and an instance id lives in one Region only.
    t.record.instance.findingRegion === undefined
  );
}

/**
 * An instance its credential-exfiltration finding's Region does not have is looked for in the other
 * covered Regions. Found there, the quarantine moves to that Region (ledger/relocate.ts) and isolation
 * goes on with clients there; already held there by another quarantine, this one is a duplicate and is
 * refused (the caller releases its lock); found nowhere, it is refused as before, naming where it looked.
 * Anything else is returned unchanged.
 */
export async function followInstance(
  l: LedgerClients,
  t: Located,
  search: RegionSearch | undefined,
  actor: string,
): Promise<Located> {
  if (search === undefined || !shouldSearchElsewhere(t)) return t;
  const { instanceId, region: findingRegion } = t.req.instance;
  const result = await searchRegions(search, t.req);
  const searched: RegionLookup[] = [{ region: findingRegion, result: 'not-found' }, ...result.searched];
  if (result.status === 'not-found')
    return refused(t, notFoundMessage(instanceId, searched), 'NOT_FOUND', { searched });
  const where = `found in ${result.region}; the finding was reported in ${findingRegion}`;
  if (!result.described.ok) {
    const e = result.described.e;
    if (!(e instanceof RefusedError)) throw e;
    return refused(t, `${e.message} (${where})`, e.code, { region: result.region, searched });
  }
  const moved = await relocateQuarantine(
    l,
    t.record,
    result.region,
    action(actor, 'relocate', 'ok', { region: result.region, findingRegion, note: where, searched }),
  );
  if (moved.status === 'duplicate') {
    const existing = moved.existingQuarantineId;
    return refused(
      t,
      `instance ${instanceId} is already being contained by quarantine ${existing} (${where})`,
      'DUPLICATE',
      { existingQuarantineId: existing, region: result.region },
    );
  }
  return {
    clients: result.clients,
    record: moved.record,
    req: { ...t.req, instance: { ...t.req.instance, region: result.region } },
    described: result.described,
  };
}

/** "not found in us-west-2, us-east-1; could not look in ap-east-1 (AuthFailure), so it may be there" */
export function notFoundMessage(instanceId: string, searched: ReadonlyArray<RegionLookup>): string {
  const absent = searched.filter((s) => s.result === 'not-found').map((s) => s.region);
  const unknown = searched.filter((s) => s.result !== 'not-found');
  return (
    `instance ${instanceId} not found in ${absent.join(', ')}` +
    (unknown.length === 0
      ? ''
      : `; could not look in ${unknown.map((s) => `${s.region} (${s.code ?? s.result})`).join(', ')}, ` +
        'so it may be there')
  );
}

function refused(
  t: Located,
  message: string,
  code: RefusedError['code'],
  detail: Record<string, unknown>,
): Located {
  return { ...t, described: { ok: false, e: new RefusedError(message, code, { detail }) } };
}
