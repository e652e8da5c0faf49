import { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { createLedgerClients, type LedgerClients } from '../core/clients';
import { fromZodIssues } from '../core/errors';
import { recordFailure } from '../core/workflow/record-failure';

/**
 * Only the ledger and the topic: no runtime.ts (isolation clients, role assumption), so the bundle
 * carries only the DynamoDB and SNS clients and loads faster.
 */
const Env = z.object({
  AWS_REGION: z.string().min(1),
  LEDGER_TABLE: z.string().min(1),
  TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'),
});
let deps: { sns: SNSClient; ledger: LedgerClients; topicArn: string; actor: string } | undefined;

function depsFromEnv() {
  if (deps !== undefined) return deps;
  const env = Env.safeParse(process.env);
  if (!env.success) throw fromZodIssues(env.error.issues);
  const region = env.data.AWS_REGION;
  deps = {
    sns: new SNSClient({ region, maxAttempts: 8, retryMode: 'adaptive' }),
    ledger: createLedgerClients({ region }, env.data.LEDGER_TABLE),
    topicArn: env.data.TOPIC_ARN,
    actor: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'sequester-responder',
  };
  return deps;
}

/** Step Functions failure path: {quarantineId, step, error: {Error, Cause}} -> ledger `failed` + page. */
export const handler = async (event: unknown) => recordFailure(depsFromEnv(), event);
