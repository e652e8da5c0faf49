import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { evidenceClientsFor, evidenceConfig } from '../core/evidence/env-config';
import { loadRecord } from '../core/evidence/evidence-record';
import { runActivityStep } from '../core/investigation/activity/activity-step';
import { trailOptions } from '../core/investigation/activity/trail-options';
import { QuarantineId } from '../core/schemas/ids';
import {
  cloudTrailIn,
  flowClients,
  instanceLookups,
  trailRegion,
  trailSource,
} from './investigation-clients';
import { investigationSettings } from './investigation-env';
import { runtime } from './runtime';

const logger = new Logger({ serviceName: 'sequester-investigate-activity' });
/**
 * @example { "quarantineId": "q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11", "pass": "initial" }
 */
export const ActivityTaskInput = z.looseObject({
  quarantineId: QuarantineId,
  pass: z._default(z.enum(['initial', 'late']), 'initial'),
});

/**
 * Step Functions task: one pass of the activity investigation (after the network cut, and again after
 * CloudTrail's delivery delay). Returns the pass's outcome; the workflow drops it (ResultPath null).
 */
export const handler = async (event: unknown) => {
  const started = Date.now();
  const input = parseOrThrow(ActivityTaskInput, event);
  const rt = runtime();
  const cfg = evidenceConfig();
  const s = investigationSettings();
  const record = await loadRecord(rt.ledger, input.quarantineId);
  const instance = await rt.isolationClientsFor(record.instance);
  const { s3: vault } = await evidenceClientsFor(rt, record.instance, cfg.region);
  const source = trailSource(s);
  const trail =
    s.trailName === undefined ? undefined : { name: s.trailName, region: trailRegion(s.trailName, s.region) };
  const outcome = await runActivityStep(
    {
      ledger: rt.ledger,
      vault,
      instance: { iam: instance.iam, ec2: instance.ec2 },
      ...(source === undefined
        ? {}
        : { trail: { source, options: trailOptions(cloudTrailIn, source, trail) } }),
      lookups: () =>
        instanceLookups(
          // A credential-exfiltration finding's Region is where the stolen credentials were used.
          [
            record.instance.region,
            ...(record.instance.findingRegion === undefined ? [] : [record.instance.findingRegion]),
          ],
          instance.ec2.config.credentials,
        ),
      flows: flowClients(s, { region: record.instance.region, ec2: instance.ec2 }),
    },
    record,
    input.pass,
    { ...cfg, flowLogBuckets: s.flowLogBuckets },
  );
  logger.info('activity investigated', {
    quarantineId: input.quarantineId,
    pass: input.pass,
    status: outcome.status,
    ...outcome.summary,
    durationMs: Date.now() - started,
  });
  return outcome;
};
