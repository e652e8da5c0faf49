import {
  type ClientOptions,
  createIsolationClients,
  createLedgerClients,
  type IsolationClients,
  type LedgerClients,
} from '../../lambdas/core/clients';
import { createLedgerTable } from '../../local-aws/ledger-table';
import { LOCAL_CREDENTIALS, resetMoto } from '../../local-aws/moto-server';

export const REGION = 'eu-west-1';

/** This worker's moto endpoint. Fails (never skips) when the global setup did not start one. */
export function motoEndpoint(): string {
  const all = (process.env.MOTO_ENDPOINTS ?? '').split(',').filter(Boolean);
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const endpoint = all[(worker - 1) % Math.max(all.length, 1)];
  if (endpoint === undefined)
    throw new Error('no moto endpoint: the Jest global setup did not start moto_server');
  return endpoint;
}

export interface MotoEnv {
  readonly endpoint: string;
  readonly clients: IsolationClients;
  readonly ledger: LedgerClients;
}

/** Resets this worker's moto and creates the ledger table: call in beforeEach/beforeAll of a suite. */
export async function freshMoto(region = REGION, extra: Partial<ClientOptions> = {}): Promise<MotoEnv> {
  const endpoint = motoEndpoint();
  await resetMoto(endpoint);
  const opts: ClientOptions = { region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3, ...extra };
  const ledger = createLedgerClients(opts, 'sequester-ledger');
  await createLedgerTable(ledger);
  return { endpoint, clients: createIsolationClients(opts), ledger };
}

/**
 * Points the Lambda handlers at this moto, as the stack's environment points them at AWS: region,
 * endpoint, local credentials and the ledger table, plus the variables a suite's handlers also read.
 */
export function setHandlerEnv(env: MotoEnv, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: env.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    LEDGER_TABLE: env.ledger.tableName,
    ...extra,
  });
}
