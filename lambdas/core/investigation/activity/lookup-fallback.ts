import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { awsErrorName } from '../../errors';
import { analyzeRecords, attributedRecords } from './analyze';
import type { ActivityResult } from './collect';
import { edgeOf, followLineage } from './lineage';
import type { ActivityQuery } from './query';
import { TrailScan } from './scan';

/** Pages read per lookup (50 events each): a fallback, not a trail. */
const MAX_PAGES = 20;
/** Derived keys followed by their own lookup (each costs requests at LookupEvents' 2 per second). */
const MAX_DERIVED_KEYS = 20;

export const LOOKUP_SOURCE =
  'cloudtrail:LookupEvents (fallback, no trail bucket configured): management events of the last 90 days ' +
  'only, no data events (S3 object reads, secret values by data events) and no other account';

export interface Lookup {
  readonly region: string;
  readonly client: CloudTrailClient;
}

async function lookup(
  l: Lookup,
  attribute: { AttributeKey: 'Username' | 'AccessKeyId'; AttributeValue: string },
  q: Pick<ActivityQuery, 'since' | 'until'>,
): Promise<{ records: unknown[]; truncated: boolean }> {
  const records: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const out = await l.client.send(
      new LookupEventsCommand({
        LookupAttributes: [attribute],
        StartTime: new Date(q.since),
        EndTime: new Date(q.until),
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    for (const e of out.Events ?? []) {
      try {
        records.push(JSON.parse(e.CloudTrailEvent ?? 'null'));
      } catch {
        records.push(null);
      }
    }
    token = out.NextToken;
    if (token === undefined) break;
  }
  return { records, truncated: token !== undefined };
}

/**
 * The activity of the instance session from CloudTrail's event history (LookupEvents) when no trail
 * bucket is configured: events whose user name is the instance id (the session name) in the instance's
 * region and in the region of global service events, then the events of each key the session obtained,
 * by AccessKeyId. Labelled as a fallback in the coverage: the event history holds 90 days of management
 * events and no data events.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html
 */
export async function lookupActivity(
  lookups: ReadonlyArray<Lookup>,
  q: ActivityQuery,
  instanceId: string,
): Promise<ActivityResult> {
  const window = { since: Date.parse(q.since), until: Date.parse(q.until) };
  const scan = new TrailScan(q.principalId, window);
  const problems: string[] = [];
  let truncated = false;
  const run = async (attribute: Parameters<typeof lookup>[1]) => {
    const settled = await Promise.allSettled(lookups.map((l) => lookup(l, attribute, q)));
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') {
        truncated ||= s.value.truncated;
        scan.add(s.value.records, 0);
      } else problems.push(`${lookups[i]?.region}: ${awsErrorName(s.reason) ?? 'Error'}`);
    });
    if (settled.every((s) => s.status === 'rejected')) throw (settled[0] as PromiseRejectedResult).reason;
  };
  await run({ AttributeKey: 'Username', AttributeValue: instanceId });
  const followed = new Set<string>();
  for (;;) {
    const derived = followLineage(
      scan.direct.map((r) => edgeOf(r)).filter((e) => e !== undefined),
      scan.edgesByCaller,
    );
    const next = derived.find((d) => !followed.has(d.accessKeyId));
    if (next === undefined || followed.size >= MAX_DERIVED_KEYS) break;
    followed.add(next.accessKeyId);
    await run({ AttributeKey: 'AccessKeyId', AttributeValue: next.accessKeyId });
  }
  const derived = followLineage(
    scan.direct.map((r) => edgeOf(r)).filter((e) => e !== undefined),
    scan.edgesByCaller,
  );
  const { records, malformed } = attributedRecords([...scan.direct, ...scan.derived.map((d) => d.record)]);
  const notes = [
    ...(truncated ? [`truncated at ${MAX_PAGES * 50} events per lookup`] : []),
    ...(followed.size >= MAX_DERIVED_KEYS ? [`derived keys followed: first ${MAX_DERIVED_KEYS}`] : []),
    ...problems.map((p) => `lookup failed in ${p}`),
  ];
  return {
    records,
    report: {
      principalId: q.principalId,
      window: { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString() },
      coverage: {
        source: notes.length === 0 ? LOOKUP_SOURCE : `${LOOKUP_SOURCE}; ${notes.join('; ')}`,
        regions: lookups.map((l) => l.region),
        accounts: [],
        files: 0,
        filesMalformed: [],
        recordsInWindow: scan.recordsInWindow,
        recordsMalformed: malformed,
        dataEvents: {
          enabled: 'unknown',
          basis: 'none',
          seen: 0,
          detail: 'LookupEvents returns management events only: data events are not visible',
        },
        logging: { isLogging: 'unknown', basis: 'none' },
      },
      ...analyzeRecords(records, q.principalId, derived, q.instanceAddresses),
    },
  };
}
