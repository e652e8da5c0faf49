import { PutObjectLegalHoldCommand, type S3Client } from '@aws-sdk/client-s3';
import { appendCustody, type CustodyLedger, callerArn } from './custody';
import type { LocatedManifest } from './locate';

/**
 * Sets S3 Object Lock legal hold on every evidence object of a manifest (images, context objects and
 * the manifest itself), then appends who did it and why to the quarantine's ledger timeline. A legal
 * hold keeps a version undeletable even after its COMPLIANCE retention ends, until it is removed.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-legal-holds
 */
export async function setLegalHold(
  s3: S3Client,
  o: { bucket: string; found: LocatedManifest; status: 'on' | 'off'; reason: string },
  ledger: CustodyLedger,
) {
  const m = o.found.manifest;
  const objects = [
    ...m.volumes.flatMap((vol) => vol.images.map((i) => ({ key: i.key, versionId: i.versionId }))),
    ...m.context.flatMap((x) => (x.key === undefined ? [] : [{ key: x.key, versionId: x.versionId }])),
    { key: o.found.key, versionId: o.found.versionId },
  ];
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
