import { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { fromZodIssues } from '../core/errors';
import { notifyOnCall } from '../core/workflow/notify';
import { runtime } from './runtime';

const Env = z.object({ TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN') });
let sns: SNSClient | undefined;

/**
 * Step Functions task: pages on-call about a quarantine event ({quarantineId, event}); the workflow
 * keeps its own state (ResultPath null), so the result is only the message id.
 */
export const handler = async (event: unknown) => {
  const env = Env.safeParse(process.env);
  if (!env.success) throw fromZodIssues(env.error.issues);
  const rt = runtime();
  sns ??= new SNSClient({ region: rt.env.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' });
  return notifyOnCall(
    { sns, topicArn: env.data.TOPIC_ARN, ledger: rt.ledger, actor: rt.engine.responderActor },
    event,
  );
};
