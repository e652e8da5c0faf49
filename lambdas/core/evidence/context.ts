import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { reasonOf } from '../errors';
import { action } from '../isolation/engine-config';
import { sha256b64 } from './checksums';
import { type EvidenceConfig, lockFor } from './config';
import { type ContextClients, captures } from './context-captures';
import { evidenceOf, loadRecord, recordEvidence } from './evidence-record';
import type { ContextObject } from './manifest';
import { evidencePrefix } from './vault';

export type { ContextClients };

/**
 * Captures and locks what an investigator needs to follow the attacker: the request as received, the
 * pre-isolation state, the instance, its interfaces and original security groups, its role and
 * policies, console output and screenshot, and the role's recent CloudTrail events. A capture that
 * fails is recorded as unavailable and never blocks containment or disk evidence. Idempotent.
 */
export async function captureContext(
  c: ContextClients,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
): Promise<ContextObject[]> {
  const record = await loadRecord(l, quarantineId);
  const known = evidenceOf(record).contextObjects;
  if (known !== undefined) return known;
  const base = `${evidencePrefix(cfg.prefix, record)}context/`;
  const lock = lockFor(cfg);
  const objects = await Promise.all(
    Object.entries(captures(c, record, cfg)).map(async ([name, capture]): Promise<ContextObject> => {
      try {
        const { body, ext } = await capture();
        const sha256 = sha256b64(body);
        const key = `${base}${name}.${ext}`;
        const put = await c.s3.send(
          new PutObjectCommand({
            Bucket: cfg.vaultBucket,
            Key: key,
            Body: body,
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: sha256,
            ...lock,
          }),
        );
        return {
          name,
          status: 'captured',
          key,
          sha256,
          ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
        };
      } catch (err) {
        return {
          name,
          status: 'unavailable',
          detail: reasonOf(err, 500),
        };
      }
    }),
  );
  const captured = objects.filter((o) => o.status === 'captured').map((o) => o.name);
  const unavailable = objects.filter((o) => o.status === 'unavailable').map((o) => o.name);
  await recordEvidence(
    l,
    record,
    { contextObjects: objects },
    {
      actions: [action(cfg.responderActor, 'context-captured', 'ok', { captured, unavailable })],
    },
  );
  return objects;
}
