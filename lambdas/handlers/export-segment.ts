import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { fromZodIssues } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord, Segment } from '../core/evidence/evidence-record';
import { exportSegment } from '../core/evidence/export-segment';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-export-segment' });

/** One Map item: a segment from plan-export, with its quarantine id. */
export const SegmentTaskInput = z.looseObject({ ...Segment.shape, quarantineId: QuarantineId });

/** Step Functions Map task: exports one segment. Re-running it re-uploads the same parts. */
export const handler = async (event: unknown) => {
  const parsed = SegmentTaskInput.safeParse(event);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.data.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const result = await exportSegment(c, cfg.vaultBucket, parsed.data, cfg);
  logger.info('segment exported', { ...result });
  return result;
};
