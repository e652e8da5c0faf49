import { gzipSync } from 'node:zlib';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../../clients';
import type { EvidenceConfig } from '../../evidence/config';
import { action } from '../../isolation/engine-config';
import type { QuarantineRecord } from '../../ledger/record';
import type { FlowClients } from '../flow-logs/collect-flow-volume';
import { type FlowStepResult, flowWindow, runFlowStep } from '../flow-logs/flow-step';
import { natGatewaysOnce } from '../nat-gateways';
import type { InvestigationOutcome, SealedObject } from '../outcome';
import { activityOf, recordOutcome } from '../record-outcome';
import { failureReason, isTransient } from '../step-errors';
import { investigationPrefix, writeSealedObject } from '../vault-write';
import { activityTarget, activityWindowStart } from './activity-target';
import { type ActivityResult, type CollectOptions, investigateTrail } from './collect';
import { type Lookup, lookupActivity } from './lookup-fallback';
import { ActivityQuery } from './query';
import type { TrailSource } from './trail-source';

export type ActivityPass = 'initial' | 'late';

export interface ActivityStepClients {
  readonly ledger: LedgerClients;
  /** The vault, with the responder's own credentials. */
  readonly vault: S3Client;
  /** IAM and EC2 in the instance's account (the role's id, the VPC's NAT gateways). */
  readonly instance: { readonly iam: IAMClient; readonly ec2: EC2Client };
  /** The configured trail; without it the step falls back to LookupEvents. */
  readonly trail?: { readonly source: TrailSource; readonly options: () => Promise<CollectOptions> };
  /** CloudTrail in the instance's region and the global events region, for the fallback. */
  readonly lookups: () => ReadonlyArray<Lookup>;
  /**
   * The flow logs of the instance's network (EC2 and CloudWatch Logs in its account and region, S3 for
   * the flow log buckets); without them the pass seals no flow volume.
   */
  readonly flows?: FlowClients;
}

export type ActivityStepConfig = Pick<
  EvidenceConfig,
  'vaultBucket' | 'prefix' | 'retentionDays' | 'legalHold' | 'responderActor'
> & {
  /** The flow log buckets the stack grants (config flowLogBuckets). */
  readonly flowLogBuckets?: ReadonlyArray<string>;
};

const unavailable = (detail: string, at: string): InvestigationOutcome => ({
  status: 'unavailable',
  at,
  objects: [],
  detail: detail.slice(0, 1000),
});

/** Sealed records in CloudTrail's own log file shape (`{"Records": [...]}`, gzip), readable by any tool. */
async function seal(
  c: ActivityStepClients,
  cfg: ActivityStepConfig,
  base: string,
  pass: ActivityPass,
  result: ActivityResult,
): Promise<SealedObject[]> {
  const report = Buffer.from(JSON.stringify(result.report, null, 2));
  const records = gzipSync(Buffer.from(JSON.stringify({ Records: result.records })));
  return Promise.all([
    writeSealedObject(c.vault, cfg, {
      name: `activity-${pass}.json`,
      key: `${base}activity-${pass}.json`,
      body: report,
      contentType: 'application/json',
    }),
    writeSealedObject(c.vault, cfg, {
      name: `activity-${pass}-records.json.gz`,
      key: `${base}activity-${pass}-records.json.gz`,
      body: records,
      contentType: 'application/gzip',
    }),
  ]);
}

/** The pass's outcome with the flow volume's sealed object, figures and gaps added. */
const withFlows = (o: InvestigationOutcome, f: FlowStepResult): InvestigationOutcome => ({
  ...o,
  objects: [...o.objects, ...(f.object === undefined ? [] : [f.object])],
  summary: { ...(o.summary ?? {}), ...f.summary },
  ...(o.detail === undefined && f.detail === undefined
    ? {}
    : {
        detail: [o.detail, f.detail]
          .filter((d) => d !== undefined)
          .join('; ')
          .slice(0, 1000),
      }),
});

/**
 * One pass of the activity step: what the instance session's credentials did from the window's start
 * to now, from the configured trail (or the LookupEvents fallback), written to the vault as
 * `activity-<pass>.json` and the attributed raw records, with the bytes that left the instance from its
 * VPC flow logs (`flows-<pass>.json`, flow-logs/flow-step.ts), and recorded in the ledger's `activity`
 * attribute. Both passes read the flows: flow logs publish every few minutes, so records of the last
 * minutes before the cut may only be there for the late pass; they are recorded after the activity
 * (action `investigate-flows:<pass>`). Idempotent: a pass already recorded is returned as it is. A
 * missing trail, a denied read or an instance without a role is recorded as `unavailable` with the
 * reason, never thrown; only transient errors (throttling) are thrown, for the workflow's retry.
 */
export async function runActivityStep(
  c: ActivityStepClients,
  record: QuarantineRecord,
  pass: ActivityPass,
  cfg: ActivityStepConfig,
  now = new Date(),
): Promise<InvestigationOutcome> {
  const { quarantineId } = record;
  const known = activityOf(record)[pass];
  if (known !== undefined) return known;
  const at = now.toISOString();
  let outcome: InvestigationOutcome;
  let result: ActivityResult | undefined;
  // One DescribeNatGateways for the pass: the session's addresses and the flow target both need it.
  const natGateways = natGatewaysOnce(c.instance.ec2);
  try {
    const target = await activityTarget(c.instance, record, natGateways);
    if ('unavailable' in target) outcome = unavailable(target.unavailable, at);
    else {
      const query = ActivityQuery.parse({
        principalId: target.principalId,
        instanceAddresses: target.instanceAddresses,
        since: target.since,
        until: at,
      });
      result =
        c.trail === undefined
          ? await lookupActivity(c.lookups(), query, target.instanceId)
          : await investigateTrail(c.trail.source, query, await c.trail.options());
      const objects = await seal(c, cfg, investigationPrefix(cfg, record), pass, result);
      const r = result.report;
      outcome = {
        status: 'written',
        at,
        objects,
        summary: { events: r.events, touched: r.touched.length, other: r.other.length },
        detail: [`source: ${r.coverage.source}`, ...target.addressGaps].join('; ').slice(0, 1000),
      };
    }
  } catch (err) {
    if (isTransient(err)) throw err;
    outcome = unavailable(failureReason(err), at);
  }
  const save = (o: InvestigationOutcome, step: string, ok: boolean, detail: Record<string, unknown>) =>
    recordOutcome(c.ledger, quarantineId, 'activity', { ...activityOf(record), [pass]: o }, [
      action(cfg.responderActor, `${step}:${pass}`, ok ? 'ok' : 'skipped', detail),
    ]);
  // Recorded before the flows are read: a flow read that outlives the Lambda loses only the flows.
  await save(outcome, 'investigate-activity', outcome.status === 'written', {
    status: outcome.status,
    ...(outcome.summary ?? {}),
    ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
  });
  if (c.flows === undefined) return outcome;
  // The flows are learned whatever the trail said: an instance without a role can still send data out.
  const window = flowWindow(record, result, activityWindowStart(record), now);
  const flows = await runFlowStep(
    { flows: c.flows, vault: c.vault },
    cfg,
    record,
    pass,
    result,
    window,
    natGateways,
  );
  const merged = withFlows(outcome, flows);
  await save(merged, 'investigate-flows', flows.summary.flowStatus === 'known', {
    ...flows.summary,
    ...(flows.detail === undefined ? {} : { detail: flows.detail }),
  });
  return merged;
}
