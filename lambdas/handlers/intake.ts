import type { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { intakeConfigFromEnv } from '../core/intake/intake-config';
import { readIntakeEnv } from '../core/intake/intake-env';
import { type IntakeDeps, intakeFinding } from '../core/intake/intake-finding';
import { StepFunctionsStarter } from '../core/intake/workflow-starter';
import { ledgerFromEnv } from './ledger-env';

let deps: IntakeDeps | undefined;
let logging: Promise<Logger> | undefined;

/**
 * The Powertools Logger (structured JSON lines), loaded and built by the first invocation: its module
 * and constructor were about 14 ms of the 23 ms this bundle's load added to its bare SDK clients
 * (`npm run bench -- bundle`, profiled per module), more than every schema of the decision path.
 */
function intakeLogger(): Promise<Logger> {
  logging ??= import('@aws-lambda-powertools/logger').then(
    ({ Logger }) => new Logger({ serviceName: 'sequester-intake' }),
  );
  return logging;
}

/** Built on first use and kept for the container's life; a bad environment fails naming the variable. */
function intakeDeps(logger: Logger): IntakeDeps {
  if (deps !== undefined) return deps;
  // Only the ledger and Step Functions: intake decides from the finding itself (the exemption tag is
  // checked again on the instance by the isolate task), so it never calls EC2 or assumes member roles.
  const { region, ledger } = ledgerFromEnv();
  const env = readIntakeEnv();
  const sfn = new SFNClient({ region, maxAttempts: 8, retryMode: 'adaptive' });
  deps = {
    ledger,
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
  const logger = await intakeLogger();
  if (context !== undefined) logger.addContext(context);
  return intakeFinding(intakeDeps(logger), event);
};
