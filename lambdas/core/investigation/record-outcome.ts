import type { LedgerClients } from '../clients';
import { updateQuarantine } from '../ledger/ledger';
import type { QuarantineRecord } from '../ledger/record';
import type { ActivityPasses, InvestigationAttribute, InvestigationOutcome } from './outcome';

export const activityOf = (r: QuarantineRecord): ActivityPasses => r.activity ?? {};
export const outcomeOf = (
  r: QuarantineRecord,
  step: 'reach' | 'exposure',
): InvestigationOutcome | undefined => r[step];

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
