import * as z from 'zod/mini';
import { createLedgerClients, type LedgerClients } from '../core/clients';
import { parseOrThrow } from '../core/errors';

/**
 * What every responder Lambda reads: its region and the ledger table. Handlers that need nothing else
 * from AWS than the ledger and one service (intake, notify, record-failure) build on this alone, so
 * their bundles never load the EC2, IAM, STS or Auto Scaling clients.
 *
 * @example { "AWS_REGION": "eu-west-1", "LEDGER_TABLE": "sequester-ledger" }
 */
export const LedgerEnv = z.object({
  AWS_REGION: z.string().check(z.minLength(1)),
  LEDGER_TABLE: z.string().check(z.minLength(1)),
});

/** The ledger clients of this Lambda's own region (the SDK honours AWS_ENDPOINT_URL for local runs). */
export function ledgerFromEnv(env: NodeJS.ProcessEnv = process.env): {
  region: string;
  ledger: LedgerClients;
} {
  const e = parseOrThrow(LedgerEnv, env);
  return { region: e.AWS_REGION, ledger: createLedgerClients({ region: e.AWS_REGION }, e.LEDGER_TABLE) };
}
