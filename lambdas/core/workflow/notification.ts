import type { InvestigationOutcome } from '../investigation/outcome';
import type { QuarantineRecord } from '../ledger/record';

export type NotificationEvent = 'isolated' | 'sealed' | 'failed';

export interface Notification {
  readonly subject: string;
  readonly message: string;
}

/**
 * What the investigation learnt so far, in a few numbers: how many data stores the instance's role could
 * read before isolation, how many of them are classified, and how many it still reads after (an alarm
 * when not 0); the activity's events. The reports themselves are in the vault.
 */
export function investigationOf(rec: QuarantineRecord) {
  const pick = (o: InvestigationOutcome | undefined) =>
    o === undefined
      ? undefined
      : { status: o.status, ...(o.summary ?? {}), ...(o.detail === undefined ? {} : { detail: o.detail }) };
  const reach = pick(rec.reach);
  const activity = pick(rec.activity?.late ?? rec.activity?.initial);
  return {
    ...(reach === undefined ? {} : { reach }),
    ...(activity === undefined ? {} : { activity }),
  };
}

/**
 * The on-call message for one quarantine event. The subject holds only validated identifiers (SNS
 * subjects are ASCII, at most 100 characters); everything else, including free text written by people
 * or taken from findings, goes into the JSON body where it cannot be mistaken for structure.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export function buildNotification(
  rec: QuarantineRecord,
  event: NotificationEvent,
  failure?: { readonly step: string; readonly message: string },
): Notification {
  const title = { isolated: 'isolated', sealed: 'evidence sealed', failed: 'FAILED' }[event];
  const subject = `[Sequester] ${rec.instance.instanceId} ${title} (${rec.quarantineId})`.slice(0, 100);
  const body = {
    event,
    quarantineId: rec.quarantineId,
    incidentId: rec.incidentId,
    instance: rec.instance,
    state: rec.state,
    reason: rec.reason,
    trigger: rec.trigger,
    ...(rec.networkCutAt === undefined ? {} : { networkCutAt: rec.networkCutAt }),
    ...(rec.evidence === undefined ? {} : { evidence: rec.evidence }),
    ...investigationOf(rec),
    ...(failure === undefined ? {} : { failure }),
  };
  return { subject, message: JSON.stringify(body, null, 2) };
}
