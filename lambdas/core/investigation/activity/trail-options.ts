import type { KeyObject } from 'node:crypto';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { failureReason } from '../step-errors';
import type { CollectOptions } from './collect';
import { type PublicKeyLookup, validateDigestChain } from './digest-chain';
import { regionFolders } from './layout';
import type { WindowMs } from './scan';
import { publicKeys, trailSettings } from './trail-settings';
import type { TrailSource } from './trail-source';

const DAY_MS = 24 * 3600 * 1000;
const regionOf = (key: string) => /\/CloudTrail\/([a-z0-9-]+)\//.exec(key)?.[1];

/**
 * The public keys of every region whose files were read: CloudTrail signs each region's digests with
 * that region's key, and ListPublicKeys answers for the region it is called in.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 */
async function keysOf(
  ct: (region: string) => CloudTrailClient,
  files: ReadonlyArray<string>,
  window: WindowMs,
): Promise<{ lookup: PublicKeyLookup; failed: string[] }> {
  const regions = [...new Set(files.map(regionOf).filter((r) => r !== undefined))];
  const failed: string[] = [];
  const found = await Promise.all(
    regions.map((r) =>
      // Digests are hourly and cover the hour before: keys valid up to a day after the window.
      publicKeys(ct(r), new Date(window.since), new Date(window.until + DAY_MS)).catch((err: unknown) => {
        failed.push(`${r}: ${failureReason(err)}`);
        return (() => undefined) as PublicKeyLookup;
      }),
    ),
  );
  return {
    lookup: (fp: string): KeyObject | undefined => found.map((f) => f(fp)).find((k) => k !== undefined),
    failed,
  };
}

/**
 * What the activity step asks besides the log files: the trail's settings (data events, logging) when
 * its name is configured, and the digest chain over the files read, with the public keys of their
 * regions. A key that cannot be read leaves the files it signs uncovered and says why.
 */
export function trailOptions(
  ct: (region: string) => CloudTrailClient,
  source: TrailSource,
  trail?: { readonly name: string; readonly region: string },
): () => Promise<CollectOptions> {
  return async () => ({
    ...(trail === undefined ? {} : { settings: await trailSettings(ct(trail.region), trail.name) }),
    validateDigests: async (files, window) => {
      try {
        // No digest delivered (validation off): nothing to check, and no key to ask for.
        if ((await regionFolders(source, {}, 'CloudTrail-Digest')).length === 0)
          return { digests: 0, valid: 0, coveredFiles: [], uncoveredFiles: [...files], breaks: [] };
        const { lookup, failed } = await keysOf(ct, files, window);
        const coverage = await validateDigestChain(source, files, window, lookup);
        const unread = failed.map((f) => ({ key: '', problem: `ListPublicKeys ${f}` }));
        return { ...coverage, breaks: [...coverage.breaks, ...unread] };
      } catch (err) {
        // The digests could not be read at all: no file is vouched for, and the report says why.
        const problem = `digest validation failed: ${failureReason(err)}`;
        return {
          digests: 0,
          valid: 0,
          coveredFiles: [],
          uncoveredFiles: [...files],
          breaks: [{ key: '', problem }],
        };
      }
    },
  });
}
