import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { parseOrThrow, StepFailedError } from '../core/errors';
import { digestSelfTest } from '../core/evidence/digest/self-test';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord, SegmentRef, segmentOf } from '../core/evidence/evidence-record';
import { exportSegment } from '../core/evidence/export-segment';
import { QuarantineId } from '../core/schemas/ids';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-export-segment' });

/**
 * One Map item: a segment reference from plan-export, with its quarantine id.
 * @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "image": 0, "firstPart": 1, "lastPart": 64 }
 */
export const SegmentTaskInput = z.looseObject({ ...SegmentRef.shape, quarantineId: QuarantineId });

export { digestSelfTest };

let checked: Promise<void> | undefined;
/** The digest threads' known-answer test, once per container (digest/self-test.ts). */
const threadsChecked = () => {
  checked ??= digestSelfTest().then((r) => {
    if (!r.sha256 || r.scan.join() !== 'private-key') {
      checked = undefined;
      throw new StepFailedError(
        `digest threads failed their self-test: ${JSON.stringify(r)}`,
        'export-segment',
      );
    }
  });
  return checked;
};

/** Step Functions Map task: exports one segment. Re-running it re-uploads the same parts. */
export const handler = async (event: unknown) => {
  const parsed = parseOrThrow(SegmentTaskInput, event);
  await threadsChecked();
  const rt = runtime();
  const cfg = evidenceConfig();
  const record = await loadRecord(rt.ledger, parsed.quarantineId);
  const c = await evidenceClientsFor(rt, record.instance, cfg.region);
  const result = await exportSegment(c, cfg.vaultBucket, segmentOf(record, parsed), cfg);
  // Counts only: the findings (redacted) are in the vault, never in the logs.
  logger.info('segment exported', { ...result });
  return result;
};
