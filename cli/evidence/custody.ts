import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type ClientOptions, createLedgerClients } from '../../lambdas/core/clients';
import { InvalidInputError } from '../../lambdas/core/errors';
import { action } from '../../lambdas/core/isolation/engine-config';
import { updateQuarantine } from '../../lambdas/core/ledger/ledger';
import type { LedgerAction } from '../../lambdas/core/ledger/record';

/** Where reviewer commands append to the chain of custody: the responder's ledger table. */
export interface CustodyLedger {
  readonly opts: ClientOptions;
  readonly table: string;
}

/** --ledger-table, else SEQUESTER_LEDGER_TABLE; commands that record custody refuse to run without. */
export function ledgerTableFrom(flag: string | undefined): string {
  const table = flag ?? process.env.SEQUESTER_LEDGER_TABLE;
  if (table === undefined || table === '')
    throw new InvalidInputError(
      '--ledger-table: no ledger table; pass --ledger-table or set SEQUESTER_LEDGER_TABLE',
      '--ledger-table',
    );
  return table;
}

/**
 * Who is acting: the ARN of the caller's credentials (for a role, its session), as CloudTrail records
 * it. GetCallerIdentity needs no permission.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export async function callerArn(opts: ClientOptions): Promise<string> {
  return (await new STSClient(opts).send(new GetCallerIdentityCommand({}))).Arn ?? 'unknown';
}

/**
 * Appends one custody entry to a quarantine's timeline (the reviewer role may append and nothing else:
 * policies/human-roles.ts AppendCustodyActions).
 */
export async function appendCustody(
  ledger: CustodyLedger,
  quarantineId: string,
  actor: string,
  step: string,
  detail: Record<string, unknown>,
): Promise<LedgerAction> {
  const entry = action(actor, step, 'ok', detail);
  await updateQuarantine(createLedgerClients(ledger.opts, ledger.table), quarantineId, { actions: [entry] });
  return entry;
}

/**
 * Records a complete download in the chain of custody: who downloaded which image versions, and the
 * SHA-256 of each file written, so the examiner's `sha256sum` and the ledger can be compared.
 */
export async function recordDownload(
  ledger: CustodyLedger,
  quarantineId: string,
  images: ReadonlyArray<{ key: string; versionId: string; bytes: number; sha256?: string }>,
): Promise<{ actor: string; at: string }> {
  const actor = await callerArn(ledger.opts);
  const digests = images.map((i) => ({
    key: i.key,
    versionId: i.versionId,
    bytes: i.bytes,
    sha256: i.sha256,
  }));
  const entry = await appendCustody(ledger, quarantineId, actor, 'evidence-download', {
    summary: `downloaded by ${actor}, SHA-256 ${digests.map((d) => `${d.sha256} (${d.key})`).join(', ')}`,
    images: digests,
  });
  return { actor, at: entry.at };
}

/**
 * The SHA-256 of a whole file in lowercase hex: what `sha256sum` and `shasum -a 256` print, so an
 * examiner's own tools can check the image against the ledger. (The manifest's per-part digests are
 * base64, as S3 checksums are.)
 */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
