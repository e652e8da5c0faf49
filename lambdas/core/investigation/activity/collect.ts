import { InvalidInputError, parseOrThrow } from '../../errors';
import { analyzeRecords, attributedRecords } from './analyze';
import { logFilesOf, regionFolders } from './layout';
import { edgeOf, followLineage } from './lineage';
import { ActivityQuery, type ActivityQueryInput } from './query';
import { forEachLogFile } from './read-files';
import type { CloudTrailRecord } from './record';
import type { ActivityReport } from './report';
import { derivedRecords, TrailScan, type WindowMs } from './scan';
import type { TrailSource } from './trail-source';

/** What the trail's own configuration says, when an AWS client can ask (see trail-settings.ts). */
export interface TrailSettings {
  readonly dataEvents?: Omit<ActivityReport['coverage']['dataEvents'], 'seen'>;
  readonly logging?: ActivityReport['coverage']['logging'];
}

export interface CollectOptions {
  /** GetEventSelectors / GetTrailStatus answers; without them data events are inferred from records. */
  readonly settings?: TrailSettings;
  /** Validates the digest chain over the files read (see digest-chain.ts). */
  readonly validateDigests?: (
    files: ReadonlyArray<string>,
    window: WindowMs,
  ) => Promise<NonNullable<ActivityReport['coverage']['digests']>>;
}

export interface ActivityResult {
  readonly report: ActivityReport;
  /** The attributed records themselves, oldest first: the raw evidence behind the report. */
  readonly records: ReadonlyArray<CloudTrailRecord>;
}

/**
 * Investigates one instance session over a trail: lists the window's log files in every region (and
 * every account of an organisation trail), reads them in parallel, attributes records to the session and
 * to the sessions it spawned, and reports coverage, origins, touched data and persistence.
 */
export async function investigateTrail(
  source: TrailSource,
  input: ActivityQueryInput,
  options: CollectOptions = {},
): Promise<ActivityResult> {
  const q = parseOrThrow(ActivityQuery, input);
  const window = { since: Date.parse(q.since), until: Date.parse(q.until) };
  if (window.until < window.since) throw new InvalidInputError('until: must not be before since', 'until');
  const folders = await regionFolders(source, {
    ...(q.regions === undefined ? {} : { regions: q.regions }),
    ...(q.accounts === undefined ? {} : { accounts: q.accounts }),
  });
  const keys = byDeliveryTime((await Promise.all(folders.map((f) => logFilesOf(source, f, window)))).flat());

  // Pass 1: every file once; keeps the session's records, the STS edges and where each key was used.
  const scan = new TrailScan(q.principalId, window);
  const malformed = await forEachLogFile(source, keys, q.concurrency, (records, i) => scan.add(records, i));
  const roots = scan.direct.map((r) => edgeOf(r)).filter((e) => e !== undefined);
  const derived = followLineage(roots, scan.edgesByCaller);

  // Pass 2: only the files where a derived key was seen before its grant, for that key's records.
  const derivedKeys = new Set(derived.map((d) => d.accessKeyId));
  const again = new Set(derived.flatMap((d) => scan.filesByKey.get(d.accessKeyId) ?? []));
  const fromDerived = scan.derived.filter((d) => !again.has(d.file)).map((d) => d.record);
  await forEachLogFile(
    source,
    [...again].sort((a, b) => a - b).map((i) => keys[i] as string),
    q.concurrency,
    (records) => {
      fromDerived.push(...derivedRecords(records, derivedKeys, q.principalId, window));
    },
  );

  const { records, malformed: badRecords } = attributedRecords([...scan.direct, ...fromDerived]);
  const findings = analyzeRecords(records, q.principalId, derived, q.instanceAddresses);
  const badKeys = new Set(malformed.map((m) => m.key));
  const readKeys = keys.filter((k) => !badKeys.has(k));
  const report: ActivityReport = {
    principalId: q.principalId,
    window: { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString() },
    coverage: {
      source: source.description,
      regions: [...new Set(folders.map((f) => f.region))].sort(),
      accounts: [...new Set(folders.map((f) => f.account))].sort(),
      files: readKeys.length,
      filesMalformed: malformed,
      recordsInWindow: scan.recordsInWindow,
      recordsMalformed: badRecords,
      dataEvents: options.settings?.dataEvents
        ? { ...options.settings.dataEvents, seen: scan.dataEvents }
        : {
            enabled: scan.dataEvents > 0 ? true : 'unknown',
            basis: 'inferred-from-records',
            seen: scan.dataEvents,
            ...(scan.dataEvents > 0
              ? {}
              : {
                  detail:
                    'no data event in the window: data events may be off, S3 object reads would not show',
                }),
          },
      logging: options.settings?.logging ?? { isLogging: 'unknown', basis: 'none' },
      ...(options.validateDigests === undefined
        ? {}
        : { digests: await options.validateDigests(readKeys, window) }),
    },
    ...findings,
  };
  return { report, records };
}

/**
 * Log files in delivery order across regions and accounts (the name carries the delivery time:
 * `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`), so a grant is usually read
 * before the files where its credentials are used, and pass 2 has little to re-read.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
function byDeliveryTime(keys: ReadonlyArray<string>): string[] {
  const stamp = (k: string) => /_(\d{8}T\d{4}Z)_[^/]*$/.exec(k)?.[1] ?? '~';
  return [...keys].sort((a, b) => stamp(a).localeCompare(stamp(b)) || a.localeCompare(b));
}

/** The report alone (what `activity.json` holds). */
export async function collectActivity(
  source: TrailSource,
  input: ActivityQueryInput,
  options: CollectOptions = {},
): Promise<ActivityReport> {
  return (await investigateTrail(source, input, options)).report;
}
