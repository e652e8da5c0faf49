import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { LedgerClients } from '../core/clients';
import { parseOrThrow } from '../core/errors';
import { LedgerEnv, ledgerFromEnv } from './ledger-env';

/**
 * What the notify and record-failure Lambdas need: only the ledger and the on-call topic. No runtime.ts
 * (isolation clients, role assumption), so their bundles carry only the DynamoDB and SNS clients and
 * load faster.
 */
const Env = z.extend(LedgerEnv, {
  TOPIC_ARN: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN')),
});

export interface NotificationDeps {
  readonly sns: SNSClient;
  readonly ledger: LedgerClients;
  readonly topicArn: string;
  readonly actor: string;
}

let deps: NotificationDeps | undefined;

/** Built once per container from the environment; a bad variable fails naming it. */
export function notificationDeps(): NotificationDeps {
  if (deps !== undefined) return deps;
  const env = parseOrThrow(Env, process.env);
  const { region, ledger } = ledgerFromEnv();
  deps = {
    sns: new SNSClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
    ledger,
    topicArn: env.TOPIC_ARN,
    actor: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'sequester-responder',
  };
  return deps;
}
