import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { globalEventsRegion } from '../core/evidence/cloudtrail-capture';
import type { Lookup } from '../core/investigation/activity/lookup-fallback';
import { MultiTrailSource } from '../core/investigation/activity/multi-source';
import { S3TrailSource } from '../core/investigation/activity/s3-source';
import type { TrailSource } from '../core/investigation/activity/trail-source';
import type { InvestigationSettings } from './investigation-env';

type Credentials = CloudTrailClient['config']['credentials'];

const local = () => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return endpoint === undefined ? {} : { endpoint };
};

const trailClients = new Map<string, CloudTrailClient>();
/** CloudTrail with the responder's own credentials in one region (trail settings, public keys). */
export function cloudTrailIn(region: string): CloudTrailClient {
  let c = trailClients.get(region);
  if (c === undefined) {
    c = new CloudTrailClient({ region, maxAttempts: 8, retryMode: 'adaptive', ...local() });
    trailClients.set(region, c);
  }
  return c;
}

/** The home region of a trail given by ARN (`arn:aws:cloudtrail:<region>:...`), else the Lambda's. */
export const trailRegion = (trail: string, fallback: string) =>
  trail.startsWith('arn:') ? (trail.split(':')[3] ?? fallback) : fallback;

let trail: TrailSource | undefined;
/**
 * The configured trail bucket(s) with the responder's credentials. The buckets may live in another
 * region (a log archive account's): the client follows S3's region redirects.
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-client-s3/
 */
export function trailSource(s: InvestigationSettings): TrailSource | undefined {
  if (s.trailBuckets.length === 0) return undefined;
  if (trail !== undefined) return trail;
  const l = local();
  const s3 = new S3Client({
    region: s.region,
    followRegionRedirects: true,
    forcePathStyle: 'endpoint' in l,
    maxAttempts: 8,
    retryMode: 'adaptive',
    ...l,
  });
  const sources = s.trailBuckets.map((b) => new S3TrailSource(s3, b, s.trailPrefix));
  trail = sources.length === 1 ? sources[0] : new MultiTrailSource(sources);
  return trail;
}

/**
 * CloudTrail's event history in the instance's account (its credentials), in the instance's region
 * (first), the finding's Region when it differs, and the region that records global service events,
 * for the LookupEvents fallback.
 */
export function instanceLookups(regions: ReadonlyArray<string>, credentials: Credentials): Lookup[] {
  const first = regions[0] ?? '';
  return [...new Set([...regions, globalEventsRegion(first)])].map((r) => ({
    region: r,
    client: new CloudTrailClient({
      region: r,
      credentials,
      maxAttempts: 8,
      retryMode: 'adaptive',
      ...local(),
    }),
  }));
}
