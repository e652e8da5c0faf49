import {
  type ClientOptions,
  createIsolationClients,
  createLedgerClients,
  type IsolationClients,
  type LedgerClients,
} from '../../lambdas/core/clients';
import type { Enforcer } from '../../local-aws/iam/enforcer';
import {
  configureLocalDeployment,
  type LocalEnforcementOptions,
  startLocalEnforcer,
} from '../../local-aws/iam/local-enforcement';
import { lambdaCredentials } from '../../local-aws/iam/local-roles';
import { installRoleCredentials, withCredentials } from '../../local-aws/iam/role-credentials';
import { createLedgerTable } from '../../local-aws/ledger-table';
import { LOCAL_CREDENTIALS, resetMoto } from '../../local-aws/moto-server';
import type { LambdaName } from '../../policies/responder-statements';

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

let enforcing: Promise<Enforcer> | undefined;
/**
 * The IAM-enforcing local AWS in front of this worker's moto, one per test file (Jest gives each file
 * its own module registry). Every client of the tests goes through it: the test operator's
 * LOCAL_CREDENTIALS pass as the administrator, handlers sign with their own role's key and are refused
 * what AWS would refuse them.
 */
export function enforcer(): Promise<Enforcer> {
  enforcing ??= startLocalEnforcer(motoEndpoint());
  return enforcing;
}
// Registered when a test file imports this module, so the file's enforcer closes with the file.
afterAll(async () => {
  await (await enforcing)?.stop();
});

export interface MotoEnv {
  /** The enforcer's endpoint (moto behind it). */
  readonly endpoint: string;
  readonly clients: IsolationClients;
  readonly ledger: LedgerClients;
  readonly enforcer: Enforcer;
}

/** Resets this worker's moto and creates the ledger table: call in beforeEach/beforeAll of a suite. */
export async function freshMoto(region = REGION, extra: Partial<ClientOptions> = {}): Promise<MotoEnv> {
  const e = await enforcer();
  const endpoint = e.endpoint;
  await resetMoto(endpoint);
  const opts: ClientOptions = { region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3, ...extra };
  const ledger = createLedgerClients(opts, 'sequester-ledger');
  await createLedgerTable(ledger);
  return { endpoint, clients: createIsolationClients(opts), ledger, enforcer: e };
}

/**
 * Points the Lambda handlers at this moto, as the stack's environment points them at AWS: region,
 * endpoint and the ledger table, plus the variables a suite's handlers also read. The enforcer gets the
 * responder's roles as the stack renders them for this environment; handlers run through `handlerOf`
 * (or the local workflow) sign with their own role. The process-wide credentials stay the test
 * operator's (the administrator).
 */
export function setHandlerEnv(
  env: MotoEnv,
  extra: Record<string, string> = {},
  o: LocalEnforcementOptions = {},
): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: env.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    LEDGER_TABLE: env.ledger.tableName,
    ...extra,
  });
  installRoleCredentials();
  configureLocalDeployment(env.enforcer, { ...process.env }, o);
}

/** A Lambda's handler run with its own role's credentials, as its function runs on AWS. */
export function asRole<A extends unknown[], R>(
  name: LambdaName,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => withCredentials(lambdaCredentials(name), () => handler(...args));
}
