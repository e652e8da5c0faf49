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
  // AWS key ids found on the disk: account from STS (own credentials), user from the instance's IAM.
  const resolvers = {
    sts: rt.sts(),
    iam: (await rt.isolationClientsFor(record.instance)).iam,
    instanceAccount: record.instance.accountId ?? (await rt.accountId()),
  };
  await completeExport(c, rt.ledger, record.quarantineId, cfg, resolvers);
  const images = evidenceOf(await loadRecord(rt.ledger, record.quarantineId)).images ?? [];
  return { ...rest, images };
};
