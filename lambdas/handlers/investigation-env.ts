import * as z from 'zod/mini';
import { parseOrThrow } from '../core/errors';
import { commaList, coveredRegionsFrom } from './env-list';

/**
 * The investigation tasks' environment (stacks/handler-environment.ts sets it from the stack config),
 * validated on first use. Lists are comma-separated.
 *
 * @example { "TRAIL_BUCKETS": "org-cloudtrail-logs", "TRAIL_PREFIX": "", "TRAIL_NAME":
 *   "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail", "FLOW_LOG_BUCKETS": "org-flow-logs",
 *   "COVERED_REGIONS": "eu-west-1,us-east-1",
 *   "REACH_DEPTH": "1", "CLASSIFICATION_TAGS": "data-classification,pii" }
 */
export const InvestigationEnv = z.object({
  AWS_REGION: z.string().check(z.minLength(1)),
  /** The trail's bucket(s); empty: the activity step falls back to LookupEvents. */
  TRAIL_BUCKETS: z._default(z.string(), ''),
  /** The trail's S3 key prefix (before `AWSLogs/`). */
  TRAIL_PREFIX: z._default(z.string(), ''),
  /** The trail's name or ARN, for GetEventSelectors and GetTrailStatus; empty: not asked. */
  TRAIL_NAME: z._default(z.string(), ''),
  /** The S3 buckets VPC flow logs are delivered to (the role may read these only). */
  FLOW_LOG_BUCKETS: z._default(z.string(), ''),
  /** Regions the reach step collects stores in (the home region when empty). */
  COVERED_REGIONS: z._default(z.string(), ''),
  REACH_DEPTH: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3)), 1),
  /** Store tags carried into reach.json as the classification. */
  CLASSIFICATION_TAGS: z._default(z.string(), 'data-classification,pii'),
});

export interface InvestigationSettings {
  readonly region: string;
  readonly trailBuckets: ReadonlyArray<string>;
  readonly trailPrefix: string;
  readonly trailName?: string;
  readonly flowLogBuckets: ReadonlyArray<string>;
  readonly coveredRegions: ReadonlyArray<string>;
  readonly reachDepth: number;
  readonly classificationTags: ReadonlyArray<string>;
}

export function readInvestigationEnv(env: NodeJS.ProcessEnv = process.env): InvestigationSettings {
  const e = parseOrThrow(InvestigationEnv, env);
  return {
    region: e.AWS_REGION,
    trailBuckets: commaList(e.TRAIL_BUCKETS),
    trailPrefix: e.TRAIL_PREFIX,
    ...(e.TRAIL_NAME === '' ? {} : { trailName: e.TRAIL_NAME }),
    flowLogBuckets: commaList(e.FLOW_LOG_BUCKETS),
    coveredRegions: coveredRegionsFrom(e.COVERED_REGIONS, e.AWS_REGION),
    reachDepth: e.REACH_DEPTH,
    classificationTags: commaList(e.CLASSIFICATION_TAGS),
  };
}

let shared: InvestigationSettings | undefined;
/** The container's investigation settings, read on first use. */
export function investigationSettings(): InvestigationSettings {
  shared ??= readInvestigationEnv();
  return shared;
}
