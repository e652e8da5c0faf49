import {
  HeadObjectCommand,
  ListObjectsV2Command,
  RestoreObjectCommand,
  type S3Client,
  type Tier,
} from '@aws-sdk/client-s3';
import { awsErrorName, InvalidInputError } from '../../lambdas/core/errors';
import { isArchived } from '../../lambdas/core/evidence/archive-state';
import { mapLimit } from '../../lambdas/core/evidence/concurrency';
import { IncidentId, QuarantineId } from '../../lambdas/core/schemas/ids';
import { NotFoundError } from '../errors';
import { parseArg } from '../validate';
import type { VaultLocation } from './locate';

export interface RestoreArchiveResult {
  readonly quarantineId: string;
  /** Restores started now (RestoreObject answered 202 Accepted). */
  readonly started: ReadonlyArray<string>;
  /** Restores already running (409 RestoreAlreadyInProgress). */
  readonly inProgress: ReadonlyArray<string>;
  /** A restored copy is already there (200 OK; its expiry is moved to --days from now). */
  readonly alreadyRestored: ReadonlyArray<string>;
  /** Objects of the quarantine in an active storage class: nothing to do. */
  readonly notArchived: number;
}

type Listed = { Key?: string; StorageClass?: string };

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    out.push(...(page.Contents ?? []));
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return out;
}

/** `<incident>/<quarantine-id>`, or the quarantine id alone (looked up under every incident prefix). */
async function objectsOf(s3: S3Client, v: VaultLocation, ref: string) {
  const [a, b, ...rest] = ref.split('/');
  if (rest.length > 0 || a === undefined)
    throw new InvalidInputError(
      '<quarantine>: must be <quarantine-id> or <incident>/<quarantine-id>',
      '<quarantine>',
    );
  const quarantineId = parseArg(QuarantineId, b ?? a, '<quarantine> quarantine');
  let incidents: string[];
  if (b !== undefined) incidents = [`${v.prefix}${parseArg(IncidentId, a, '<quarantine> incident')}/`];
  else {
    const top = await s3.send(
      new ListObjectsV2Command({ Bucket: v.bucket, Prefix: v.prefix, Delimiter: '/' }),
    );
    incidents = (top.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [p.Prefix]));
  }
  for (const incident of incidents) {
    const objects = await listAll(s3, v.bucket, `${incident}${quarantineId}/`);
    if (objects.length > 0) return { quarantineId, objects };
  }
  throw new NotFoundError(`no evidence of ${ref} in s3://${v.bucket}/${v.prefix}`, 'quarantine');
}

/**
 * Starts a restore of every archived object of one quarantine, so verify, download and restore can
 * read it once S3 has made the temporary copies (Standard: hours; Bulk: up to two days for
 * DEEP_ARCHIVE). Safe to run again: a running restore answers RestoreAlreadyInProgress and a finished
 * one 200 OK. Current versions only (evidence objects are written once).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html
 */
export async function restoreArchive(
  s3: S3Client,
  v: VaultLocation,
  ref: string,
  o: { readonly days: number; readonly tier: Extract<Tier, 'Standard' | 'Bulk'> },
): Promise<RestoreArchiveResult> {
  const { quarantineId, objects } = await objectsOf(s3, v, ref);
  const started: string[] = [];
  const inProgress: string[] = [];
  const alreadyRestored: string[] = [];
  let notArchived = 0;
  await mapLimit(objects, 8, async ({ Key, StorageClass }) => {
    if (Key === undefined) return;
    let intelligentTiering = false;
    if (StorageClass === 'INTELLIGENT_TIERING') {
      // ListObjectsV2 does not show Intelligent-Tiering's archive tiers; HeadObject does.
      const h = await s3.send(new HeadObjectCommand({ Bucket: v.bucket, Key }));
      intelligentTiering = isArchived(h);
      if (!intelligentTiering) {
        notArchived += 1;
        return;
      }
    } else if (!isArchived({ ...(StorageClass === undefined ? {} : { StorageClass }) })) {
      notArchived += 1;
      return;
    }
    try {
      const res = await s3.send(
        new RestoreObjectCommand({
          Bucket: v.bucket,
          Key,
          // Intelligent-Tiering archive tiers restore into its Frequent Access tier, for no set number
          // of days (unsure from the docs whether Days is refused there; it is not sent).
          RestoreRequest: {
            ...(intelligentTiering ? {} : { Days: o.days }),
            GlacierJobParameters: { Tier: o.tier },
          },
        }),
      );
      (res.$metadata.httpStatusCode === 200 ? alreadyRestored : started).push(Key);
    } catch (err) {
      if (awsErrorName(err) !== 'RestoreAlreadyInProgress') throw err;
      inProgress.push(Key);
    }
  });
  const sorted = (xs: string[]) => [...xs].sort();
  return {
    quarantineId,
    started: sorted(started),
    inProgress: sorted(inProgress),
    alreadyRestored: sorted(alreadyRestored),
    notArchived,
  };
}
