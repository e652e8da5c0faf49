import type { WindowMs } from './scan';
import type { TrailSource } from './trail-source';

/** One region folder of one account: `AWSLogs/[o-org/]<account>/CloudTrail/<region>/`. */
export interface RegionFolder {
  readonly account: string;
  readonly organizationId: string | undefined;
  readonly region: string;
  readonly prefix: string;
}

const ACCOUNT = /^\d{12}$/;
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Id pattern)
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const lastSegment = (folder: string) => folder.slice(0, -1).split('/').pop() ?? '';

/**
 * The region folders of a trail. Log files are delivered under
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`, and for an organisation trail under
 * `AWSLogs/<org id>/<account>/CloudTrail/...`; digest files sit beside them in `CloudTrail-Digest/`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 */
export async function regionFolders(
  source: TrailSource,
  filter: { readonly regions?: ReadonlyArray<string>; readonly accounts?: ReadonlyArray<string> } = {},
  folder = 'CloudTrail',
): Promise<RegionFolder[]> {
  const accountFolders: Array<{ prefix: string; organizationId: string | undefined }> = [];
  for (const top of await source.listFolders('AWSLogs/')) {
    const name = lastSegment(top);
    if (ACCOUNT.test(name)) accountFolders.push({ prefix: top, organizationId: undefined });
    else if (ORGANIZATION.test(name)) {
      for (const acct of await source.listFolders(top)) {
        if (ACCOUNT.test(lastSegment(acct))) accountFolders.push({ prefix: acct, organizationId: name });
      }
    }
  }
  const out: RegionFolder[] = [];
  for (const a of accountFolders) {
    const account = lastSegment(a.prefix);
    if (filter.accounts !== undefined && !filter.accounts.includes(account)) continue;
    for (const r of await source.listFolders(`${a.prefix}${folder}/`)) {
      const region = lastSegment(r);
      if (!REGION.test(region)) continue;
      if (filter.regions !== undefined && !filter.regions.includes(region)) continue;
      out.push({ account, organizationId: a.organizationId, region, prefix: r });
    }
  }
  return out;
}

/**
 * The date folders (`YYYY/MM/DD/`, UTC) that can hold the window's events. A folder is named for the
 * delivery date, and CloudTrail delivers a file minutes after its events ("typically within an average
 * of about 5 minutes", not guaranteed), so the folders run from the window's first day to the day of
 * its end plus `deliverySlackMs`: an event at 23:58 is found in the next day's folder.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
 */
export function dayFolders(window: WindowMs, deliverySlackMs = 60 * 60 * 1000): string[] {
  const days: string[] = [];
  const end = window.until + deliverySlackMs;
  const d = new Date(window.since);
  d.setUTCHours(0, 0, 0, 0);
  for (; d.getTime() <= end && days.length < 3660; d.setUTCDate(d.getUTCDate() + 1)) {
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(d.getUTCDate()).padStart(2, '0');
    days.push(`${d.getUTCFullYear()}/${mm}/${dd}/`);
  }
  return days;
}

/** The log files of the window in one region folder, listed day by day (the pruning S3 needs). */
export async function logFilesOf(
  source: TrailSource,
  folder: RegionFolder,
  window: WindowMs,
): Promise<string[]> {
  const lists = await Promise.all(
    dayFolders(window).map((day) => source.listObjects(`${folder.prefix}${day}`)),
  );
  return lists.flat().filter((k) => k.endsWith('.json.gz') || k.endsWith('.json'));
}
