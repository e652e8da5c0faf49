import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { LedgerClients } from '../clients';
import { LedgerError, parseOrThrow } from '../errors';
import { action } from '../isolation/engine-config';
import { getQuarantine, updateQuarantine } from '../ledger/ledger';
import { QuarantineId } from '../schemas/ids';
import { buildNotification } from './notification';

/** What the workflow's notify states pass. @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "event": "isolated" } */
export const NotifyInput = z.looseObject({
  quarantineId: QuarantineId,
  event: z.enum(['isolated', 'sealed', 'failed']),
});
export type NotifyInput = z.infer<typeof NotifyInput>;

export interface NotifyDeps {
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly ledger: LedgerClients;
  /** Recorded as the actor of the ledger action. */
  readonly actor: string;
}

/**
 * Tells on-call what happened to one quarantine and records that they were told (message id as the
 * request id). A retried notify publishes again: a duplicate page beats a missing one.
 */
export async function notifyOnCall(d: NotifyDeps, input: unknown): Promise<{ messageId: string }> {
  const parsed = parseOrThrow(NotifyInput, input);
  const { quarantineId, event } = parsed;
  const rec = await getQuarantine(d.ledger, quarantineId);
  if (rec === undefined) throw new LedgerError(`quarantine ${quarantineId} not found`);
  const n = buildNotification(rec, event, rec.failure);
  const res = await d.sns.send(
    new PublishCommand({ TopicArn: d.topicArn, Subject: n.subject, Message: n.message }),
  );
  const messageId = res.MessageId ?? '';
  await updateQuarantine(d.ledger, quarantineId, {
    actions: [action(d.actor, `notify:${event}`, 'ok', { topicArn: d.topicArn }, [messageId])],
  });
  return { messageId };
}
