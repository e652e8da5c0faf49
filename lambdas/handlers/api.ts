import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import type { HttpResponse } from '../core/intake/api-http';
import { routeApiRequest } from '../core/intake/api-router';
import type { ApiDeps } from '../core/intake/api-routes';
import { intakeConfigFromEnv } from '../core/intake/intake-config';
import { readIntakeEnv } from '../core/intake/intake-env';
import { StepFunctionsStarter } from '../core/intake/workflow-starter';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-api' });
let deps: ApiDeps | undefined;

function apiDeps(): ApiDeps {
  if (deps !== undefined) return deps;
  const rt = runtime();
  const env = readIntakeEnv();
  const sfn = new SFNClient({ region: rt.env.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' });
  deps = {
    ledger: rt.ledger,
    starter: new StepFunctionsStarter(sfn, env.STATE_MACHINE_ARN),
    clientsFor: (instance) => rt.isolationClientsFor(instance),
    engine: rt.engine,
    defaultRegion: rt.env.AWS_REGION,
    // The accounts and regions this deployment acts in (the intake config carries them).
    scope: intakeConfigFromEnv(env.INTAKE_CONFIG),
    logger,
  };
  return deps;
}

/** API Gateway HTTP API (payload 2.0, AWS_IAM authorization) for on-call: quarantine, status, release. */
export const handler = async (event: unknown, context?: Context): Promise<HttpResponse> => {
  if (context !== undefined) logger.addContext(context);
  return routeApiRequest(apiDeps(), event);
};
