import { type CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { awsErrorName } from '../errors';

/**
 * The Region CloudTrail records global service events (IAM, STS global endpoint, sign-in) in. Since
 * November 2021 that is us-east-1 for the commercial partition, and a lookup elsewhere does not return
 * them. https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-cli.html
 * Unsure: the pages name us-east-1 only; for the China and GovCloud partitions this takes the Region
 * their global IAM endpoint lives in (cn-north-1, us-gov-west-1).
 */
export function globalEventsRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** Pages read per Region (50 events a page): the capture is a pointer for the investigator, not a trail. */
const MAX_PAGES = 10;

interface Window {
  readonly StartTime: Date;
  readonly EndTime: Date;
}

async function lookup(client: CloudTrailClient, username: string, window: Window) {
  const events: Event[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: username }],
        ...window,
        NextToken,
      }),
    );
    events.push(...(res.Events ?? []));
    NextToken = res.NextToken;
    if (NextToken === undefined) break;
  }
  return { events, truncated: NextToken !== undefined };
}

/**
 * The management events of one user name (an EC2 role session is named after the instance id) in the
 * instance's Region and in the Region holding global service events, merged in time order with an
 * event both return kept once. A failed lookup in one Region is reported beside the other's events;
 * only when every lookup fails does the capture fail (and is recorded as unavailable).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
export async function lookupUserEvents(
  lookups: ReadonlyArray<{ readonly region: string; readonly client: CloudTrailClient }>,
  username: string,
  window: Window,
) {
  const regions = lookups.map((l) => l.region);
  const results = await Promise.allSettled(lookups.map((l) => lookup(l.client, username, window)));
  const seen = new Set<string>();
  const events: Event[] = [];
  const failedRegions: Record<string, string> = {};
  let truncated = false;
  results.forEach((r, i) => {
    const region = regions[i] ?? `#${i}`;
    if (r.status === 'rejected') {
      const e = r.reason;
      failedRegions[region] =
        `${awsErrorName(e) ?? 'Error'}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);
      return;
    }
    truncated ||= r.value.truncated;
    for (const e of r.value.events) {
      if (e.EventId !== undefined && seen.has(e.EventId)) continue;
      if (e.EventId !== undefined) seen.add(e.EventId);
      events.push(e);
    }
  });
  const firstFailure = results.find((r) => r.status === 'rejected');
  if (firstFailure !== undefined && results.every((r) => r.status === 'rejected')) throw firstFailure.reason;
  events.sort((a, b) => (a.EventTime?.getTime() ?? 0) - (b.EventTime?.getTime() ?? 0));
  return {
    window,
    regions,
    truncated,
    events,
    ...(Object.keys(failedRegions).length === 0 ? {} : { failedRegions }),
  };
}
