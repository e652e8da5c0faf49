import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord } from '../core/evidence/evidence-record';
import { sealManifest } from '../core/evidence/seal';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

export const SealTaskInput = z.looseObject({ quarantineId: QuarantineId });

/** Step Functions task: writes the locked manifest and moves the record to evidence_sealed. */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(SealTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const manifest = await sealManifest(c.s3, rt.ledger, record.quarantineId, cfg);
  return { ...parsed, manifestKey: manifest.key, manifestVersionId: manifest.versionId };
};
