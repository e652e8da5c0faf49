import type { EvidenceClients, LedgerClients } from '../clients';
import { StepFailedError } from '../errors';
import type { KeyResolvers } from '../investigation/secrets/resolve-keys';
import { completeExport } from './complete-export';
import { mapLimit } from './concurrency';
import type { EvidenceConfig } from './config';
import { type ContextClients, captureContext } from './context';
import { exportSegment, type SegmentResult } from './export-segment';
import { planExport } from './plan-export';
import { sealManifest } from './seal';
import { pollSnapshots, takeSnapshots } from './snapshot';

export interface PipelineOptions {
  /** Wait between snapshot polls (the workflow's Wait state). */
  readonly pollIntervalMs?: number;
  readonly maxPolls?: number;
  /** Segments exported at once (the workflow's Map MaxConcurrency). */
  readonly segmentConcurrency?: number;
  /** IAM and CloudTrail clients of the instance's account: context evidence is captured when given. */
  readonly context?: Pick<ContextClients, 'iam' | 'cloudtrail' | 'globalCloudTrail'>;
  /** Resolve AWS key ids found on the disks to their account and user. */
  readonly keyResolvers?: KeyResolvers;
}

/**
 * The evidence workflow in one process, in the order the state machine runs the tasks: snapshot,
 * poll until completed, plan, export every segment, complete, seal. Used by the demo and the tests;
 * the deployed workflow calls the same core functions through the task handlers.
 */
export async function collectEvidence(
  c: EvidenceClients,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
  o: PipelineOptions = {},
) {
  const snapshots = await takeSnapshots(c.ec2, l, quarantineId, cfg);
  if (o.context !== undefined) await captureContext({ ...c, ...o.context }, l, quarantineId, cfg);
  for (let i = 0; !(await pollSnapshots(c.ec2, snapshots)); i += 1) {
    if (i >= (o.maxPolls ?? 120))
      throw new StepFailedError('snapshots did not complete in time', 'poll-snapshots');
    await new Promise((r) => setTimeout(r, o.pollIntervalMs ?? 30_000));
  }
  const plan = await planExport(c.s3, l, quarantineId, snapshots, cfg);
  const segments: SegmentResult[] = await mapLimit(plan.segments, o.segmentConcurrency ?? 4, (s) =>
    exportSegment(c, cfg.vaultBucket, s, cfg),
  );
  const images = await completeExport(c, l, quarantineId, cfg, o.keyResolvers);
  const manifest = await sealManifest(c.s3, l, quarantineId, cfg);
  return { snapshots, plan, segments, images, manifest };
}
