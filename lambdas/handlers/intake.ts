import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { intakeConfigFromEnv } from '../core/intake/intake-config';
import { readIntakeEnv } from '../core/intake/intake-env';
import { type IntakeDeps, intakeFinding } from '../core/intake/intake-finding';
import { StepFunctionsStarter } from '../core/intake/workflow-starter';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-intake' });
let deps: IntakeDeps | undefined;

/** Built on first use and kept for the container's life; a bad environment fails naming the variable. */
function intakeDeps(): IntakeDeps {
  if (deps !== undefined) return deps;
  const rt = runtime();
  const env = readIntakeEnv();
  const sfn = new SFNClient({ region: rt.env.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' });
  deps = {
    ledger: rt.ledger,
    starter: new StepFunctionsStarter(sfn, env.STATE_MACHINE_ARN),
    config: intakeConfigFromEnv(env.INTAKE_CONFIG),
    logger,
  };
  return deps;
}

/**
 * EventBridge target for GuardDuty findings. Invalid events are rejected and logged, not thrown (a
 * retry cannot fix them); AWS errors are thrown so the asynchronous invoke retries the whole intake.
 */
export const handler = async (event: unknown, context?: Context) => {
  if (context !== undefined) logger.addContext(context);
  return intakeFinding(intakeDeps(), event);
};
