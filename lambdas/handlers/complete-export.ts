import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { completeExport } from '../core/evidence/complete-export';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { evidenceOf, loadRecord } from '../core/evidence/evidence-record';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

export const CompleteTaskInput = z.looseObject({ quarantineId: QuarantineId });

/** Step Functions task: completes every image upload from ListParts; returns where the images are. */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(CompleteTaskInput, event);
  const { segments: _segments, exports: _exports, ...rest } = parsed;
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  await completeExport(c, rt.ledger, record.quarantineId, cfg);
  const images = evidenceOf(await loadRecord(rt.ledger, record.quarantineId)).images ?? [];
  return { ...rest, images };
};
