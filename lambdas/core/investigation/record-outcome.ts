import type { LedgerClients } from '../clients';
import { updateQuarantine } from '../ledger/ledger';
import type { QuarantineRecord } from '../ledger/record';
import type { ActivityPasses, InvestigationAttribute, InvestigationOutcome, SealedObject } from './outcome';

export const activityOf = (r: QuarantineRecord): ActivityPasses => r.activity ?? {};
export const outcomeOf = (
  r: QuarantineRecord,
  step: 'reach' | 'exposure',
): InvestigationOutcome | undefined => r[step];

/**
 * What the investigation branch wrote before sealing. It runs beside the evidence branch and the
 * workflow seals only after both, so the activity's first pass and reach (and exposure) are final here;
 * the late activity pass comes after the seal and is only in the ledger.
 */
export function investigationObjects(r: QuarantineRecord): SealedObject[] {
  const outcomes = [r.activity?.initial, r.reach, r.exposure];
  // Every sealed object counts: an activity pass that could not follow the session (`unavailable`)
  // may still have sealed the flow volume (flows-initial.json).
  return outcomes.flatMap((o) => o?.objects ?? []);
}

/** Records one step's outcome in its own attribute (one conditional UpdateItem, actions appended). */
export async function recordOutcome(
  l: LedgerClients,
  quarantineId: string,
  attribute: Exclude<InvestigationAttribute, 'report'>,
  value: unknown,
  actions: Parameters<typeof updateQuarantine>[2]['actions'] = [],
): Promise<void> {
  await updateQuarantine(l, quarantineId, { set: { [attribute]: value }, actions });
}
