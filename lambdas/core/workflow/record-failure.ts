import type { SNSClient } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { LedgerClients } from '../clients';
import { LedgerError, parseOrThrow } from '../errors';
import { action } from '../isolation/engine-config';
import { getQuarantine, updateQuarantine } from '../ledger/ledger';
import type { QuarantineState } from '../ledger/record';
import { QuarantineId } from '../schemas/ids';
import { buildNotification } from './notification';

/**
 * What the workflow's failure path passes: the failed step and the Catch error.
 * @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "step": "export-segment",
 *            "error": { "Error": "SlowDown", "Cause": "{\"errorType\":\"SlowDown\",\"errorMessage\":\"Please reduce your request rate.\"}" } }
 */
export const RecordFailureInput = z.object({
  quarantineId: QuarantineId,
  step: z.string().check(z.minLength(1), z.maxLength(64)),
  error: z.object({
    Error: z._default(z.string().check(z.maxLength(256)), 'Unknown'),
    Cause: z.optional(z.string().check(z.maxLength(32768))),
  }),
});
export type RecordFailureInput = z.infer<typeof RecordFailureInput>;

/** States a failure may interrupt; final states keep their state and only get the action appended. */
const INTERRUPTIBLE: ReadonlyArray<QuarantineState> = [
  'requested',
  'isolating',
  'isolated',
  'evidence_pending',
];

/**
 * Lambda errors reach Step Functions as `{errorType, errorMessage, trace}` JSON in Cause; other errors
 * (States.Timeout, Map failures) carry plain text. Either way the ledger gets one readable message.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export function failureMessage(error: RecordFailureInput['error']): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string')
      return `${error.Error}: ${parsed.errorMessage}`.slice(0, 2048);
  } catch {
    // plain-text cause
  }
  return (cause === '' ? error.Error : `${error.Error}: ${cause}`).slice(0, 2048);
}

export interface RecordFailureDeps {
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly ledger: LedgerClients;
  readonly actor: string;
}

/**
 * The workflow's failure path: marks the quarantine failed with the step and the reason (unless the
 * isolation engine already recorded a failure of its own, which is more precise and kept), appends the
 * action, and pages on-call. A retry or a release can complete the work from the recorded state.
 */
export async function recordFailure(d: RecordFailureDeps, input: unknown) {
  const parsed = parseOrThrow(RecordFailureInput, input);
  const { quarantineId, step, error } = parsed;
  const rec = await getQuarantine(d.ledger, quarantineId);
  if (rec === undefined) throw new LedgerError(`quarantine ${quarantineId} not found`);
  const failure = { step, message: failureMessage(error) };
  const entry = action(d.actor, `workflow:${step}`, 'failed', {
    error: error.Error,
    message: failure.message,
  });
  const interruptible = INTERRUPTIBLE.includes(rec.state);
  await updateQuarantine(d.ledger, quarantineId, {
    actions: [entry],
    ...(interruptible ? { state: 'failed', fromStates: INTERRUPTIBLE, set: { failure } } : {}),
  });
  const after = { ...rec, state: interruptible ? ('failed' as const) : rec.state };
  const n = buildNotification(after, 'failed', rec.state === 'failed' ? (rec.failure ?? failure) : failure);
  const res = await d.sns.send(
    new PublishCommand({ TopicArn: d.topicArn, Subject: n.subject, Message: n.message }),
  );
  return { quarantineId, recorded: true, state: after.state, failure, messageId: res.MessageId ?? '' };
}
