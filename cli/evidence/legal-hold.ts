import { PutObjectLegalHoldCommand, type S3Client } from '@aws-sdk/client-s3';
import { createLedgerClients } from '../../lambdas/core/clients';
import type { SealedObject } from '../../lambdas/core/investigation/outcome';
import { investigationObjects } from '../../lambdas/core/investigation/record-outcome';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import type { QuarantineRecord } from '../../lambdas/core/ledger/record';
import { reportOf } from '../../lambdas/core/report/report-record';
import { appendCustody, type CustodyLedger, callerArn } from './custody';
import type { LocatedManifest } from './locate';

interface HeldObject {
  readonly key: string;
  readonly versionId?: string | undefined;
}

/**
 * The objects the ledger lists: the investigation's (also in the manifest), and what came after sealing:
 * the late activity pass and every version of the breach report. Counsel's hold covers what counsel reads.
 */
function ledgerObjects(r: QuarantineRecord | undefined): SealedObject[] {
  if (r === undefined) return [];
  return [
    ...investigationObjects(r),
    ...(r.activity?.late?.objects ?? []),
    ...reportOf(r).versions.flatMap((v) => v.objects),
  ];
}

/** Each key and version once (the manifest lists the first activity pass that the ledger lists too). */
function unique(objects: ReadonlyArray<HeldObject>): HeldObject[] {
  const seen = new Map<string, HeldObject>();
  for (const o of objects) seen.set(`${o.key}\u0000${o.versionId ?? ''}`, o);
  return [...seen.values()];
}

/**
 * Sets S3 Object Lock legal hold on every evidence object of a manifest (images, context objects,
 * investigation objects and the manifest itself) and on the investigation objects and report versions
 * the ledger lists, then appends who did it and why to the quarantine's ledger timeline. A legal
 * hold keeps a version undeletable even after its COMPLIANCE retention ends, until it is removed.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-legal-holds
 */
export async function setLegalHold(
  s3: S3Client,
  o: { bucket: string; found: LocatedManifest; status: 'on' | 'off'; reason: string },
  ledger: CustodyLedger,
) {
  const m = o.found.manifest;
  const record = await getQuarantine(createLedgerClients(ledger.opts, ledger.table), m.quarantineId);
  const objects = unique([
    ...m.volumes.flatMap((vol) => vol.images.map((i) => ({ key: i.key, versionId: i.versionId }))),
    ...m.context.flatMap((x) => (x.key === undefined ? [] : [{ key: x.key, versionId: x.versionId }])),
    ...(m.investigation ?? []),
    ...ledgerObjects(record),
    { key: o.found.key, versionId: o.found.versionId },
  ]);
  for (const obj of objects) {
    await s3.send(
      new PutObjectLegalHoldCommand({
        Bucket: o.bucket,
        Key: obj.key,
        ...(obj.versionId === undefined ? {} : { VersionId: obj.versionId }),
        LegalHold: { Status: o.status === 'on' ? 'ON' : 'OFF' },
      }),
    );
  }
  const actor = await callerArn(ledger.opts);
  await appendCustody(ledger, m.quarantineId, actor, 'legal-hold', {
    status: o.status,
    reason: o.reason,
    objects: objects.length,
  });
  return { quarantineId: m.quarantineId, legalHold: o.status, objects: objects.length, actor };
}
