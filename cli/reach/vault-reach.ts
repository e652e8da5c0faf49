import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../../lambdas/core/clients';
import { InvalidInputError } from '../../lambdas/core/errors';
import { listQuarantines } from '../../lambdas/core/intake/ledger-queries';
import type { SealedObject } from '../../lambdas/core/investigation/outcome';
import { ReachReport } from '../../lambdas/core/investigation/reach/report';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import type { QuarantineRecord } from '../../lambdas/core/ledger/record';
import { IncidentId, InstanceId, QuarantineId } from '../../lambdas/core/schemas/ids';
import { CheckFailedError, NotFoundError } from '../errors';
import { parseArg } from '../validate';

export interface VaultReach {
  readonly quarantineId: string;
  readonly object: SealedObject;
  readonly report: ReachReport;
}

/**
 * The ledger record of `<incident>/<instance-id>` (its newest quarantine in the incident) or
 * `<incident>/<quarantine-id>`. Unknown: NotFoundError (exit 2).
 */
export async function findQuarantine(l: LedgerClients, ref: string): Promise<QuarantineRecord> {
  const [incidentPart, target, ...rest] = ref.split('/');
  if (target === undefined || rest.length > 0)
    throw new InvalidInputError(
      `<quarantine>: must be <incident>/<instance-id> or <incident>/<quarantine-id> (got "${ref.slice(0, 80)}")`,
      '<quarantine>',
    );
  const incident = parseArg(IncidentId, incidentPart, '<quarantine> incident');
  if (target.startsWith('q-')) {
    const rec = await getQuarantine(l, parseArg(QuarantineId, target, '<quarantine> quarantine'));
    if (rec === undefined || rec.incidentId !== incident)
      throw new NotFoundError(`no quarantine ${incident}/${target} in the ledger`, 'quarantine');
    return rec;
  }
  const instanceId = parseArg(InstanceId, target, '<quarantine> instance');
  const mine: QuarantineRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await listQuarantines(l, { instanceId, limit: 100, ...(nextToken ? { nextToken } : {}) });
    mine.push(...page.items.filter((r) => r.incidentId === incident));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  const newest = mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (newest === undefined)
    throw new NotFoundError(`incident ${incident} has no quarantine of instance ${instanceId}`, 'instance');
  return newest;
}

/**
 * Reads a quarantine's reach.json from the vault as the ledger records it (`reach.objects`: key, version,
 * SHA-256), the exact version the step wrote, and checks its SHA-256 against the ledger before trusting
 * a byte of it: a mismatch is a failed check (exit 1), never a report.
 */
export async function readVaultReach(
  s3: S3Client,
  l: LedgerClients,
  bucket: string,
  ref: string,
): Promise<VaultReach> {
  const rec = await findQuarantine(l, ref);
  const outcome = rec.reach;
  const where = `${rec.incidentId}/${rec.quarantineId}`;
  if (outcome === undefined)
    throw new NotFoundError(`${where}: no reach recorded yet (the reach step has not run)`, 'reach');
  if (outcome.status === 'unavailable')
    throw new CheckFailedError(`${where}: reach unavailable: ${outcome.detail ?? 'no detail recorded'}`);
  const object = outcome.objects.find((o) => o.name === 'reach.json');
  if (object === undefined) throw new NotFoundError(`${where}: the ledger names no reach.json`, 'reach');
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: object.key,
      ...(object.versionId === undefined ? {} : { VersionId: object.versionId }),
    }),
  );
  const bytes = Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
  const sha256 = createHash('sha256').update(bytes).digest('base64');
  if (sha256 !== object.sha256)
    throw new CheckFailedError(
      `${where}: s3://${bucket}/${object.key} has SHA-256 ${sha256}, the ledger recorded ${object.sha256}`,
    );
  return {
    quarantineId: rec.quarantineId,
    object,
    report: ReachReport.parse(JSON.parse(bytes.toString('utf8'))),
  };
}
