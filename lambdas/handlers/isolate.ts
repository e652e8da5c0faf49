import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { parseOrThrow, StepFailedError } from '../core/errors';
import { isolate } from '../core/isolation/isolate';
import { getQuarantine } from '../core/ledger/ledger';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-isolate' });

/** Workflow task input. @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11" } */
export const IsolateTaskInput = z.looseObject({ quarantineId: QuarantineId });

/**
 * Step Functions task: isolates the instance of a claimed quarantine. Idempotent: a retry resumes, a
 * repeat after success changes nothing. Refusals are results, not errors (the workflow ends there).
 * An instance a credential-exfiltration finding's Region lacks is looked for in the covered Regions,
 * and the record moves to where it is; every later task reads the record, so they act there too.
 */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(IsolateTaskInput, event);
  const rt = runtime();
  const record = await getQuarantine(rt.ledger, parsed.quarantineId);
  if (record === undefined) throw new StepFailedError(`quarantine ${parsed.quarantineId} not found`, 'load');
  const clients = await rt.isolationClientsFor(record.instance);
  const outcome = await isolate(
    clients,
    rt.ledger,
    record,
    rt.engine,
    {
      onNetworkCut: (at) =>
        logger.info('network cut', { quarantineId: record.quarantineId, at: at.toISOString() }),
    },
    { regions: rt.coveredRegions, clientsFor: (instance) => rt.isolationClientsFor(instance) },
  );
  logger.info('isolation finished', { quarantineId: record.quarantineId, status: outcome.status });
  return { ...parsed, isolation: outcome };
};
