import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
} from '@aws-sdk/client-cloudtrail';
import { awsErrorName } from '../../errors';
import type { TrailSettings } from './collect';
import type { PublicKeyLookup } from './digest-chain';

/**
 * Whether the trail logs data events, from its selectors: basic selectors with `DataResources`, or
 * advanced selectors whose `eventCategory` field equals "Data". A trail that logs no data events
 * cannot show S3 object reads, which the report must say rather than show none.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
async function dataEvents(
  ct: CloudTrailClient,
  trail: string,
): Promise<NonNullable<TrailSettings['dataEvents']>> {
  try {
    const out = await ct.send(new GetEventSelectorsCommand({ TrailName: trail }));
    const basic = (out.EventSelectors ?? []).flatMap((s) => s.DataResources ?? []).map((d) => d.Type ?? '');
    const advanced = (out.AdvancedEventSelectors ?? []).filter((s) =>
      (s.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Data')),
    );
    const types = [
      ...basic,
      ...advanced.flatMap((s) =>
        (s.FieldSelectors ?? []).filter((f) => f.Field === 'resources.type').flatMap((f) => f.Equals ?? []),
      ),
    ];
    const enabled = basic.length > 0 || advanced.length > 0;
    return {
      enabled,
      basis: 'GetEventSelectors',
      ...(enabled ? { detail: `resource types: ${[...new Set(types)].join(', ') || 'all'}` } : {}),
    };
  } catch (err) {
    return {
      enabled: 'unknown',
      basis: 'none',
      detail: `GetEventSelectors failed: ${awsErrorName(err) ?? 'error'}`,
    };
  }
}

/**
 * Whether the trail was logging, and its latest delivery.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 */
async function logging(ct: CloudTrailClient, trail: string): Promise<NonNullable<TrailSettings['logging']>> {
  try {
    const out = await ct.send(new GetTrailStatusCommand({ Name: trail }));
    return {
      isLogging: out.IsLogging ?? 'unknown',
      basis: 'GetTrailStatus',
      ...(out.LatestDeliveryTime === undefined
        ? {}
        : { latestDeliveryTime: out.LatestDeliveryTime.toISOString() }),
      ...(out.LatestDeliveryError === undefined
        ? {}
        : { detail: `latest delivery error: ${out.LatestDeliveryError}` }),
    };
  } catch (err) {
    return {
      isLogging: 'unknown',
      basis: 'none',
      detail: `GetTrailStatus failed: ${awsErrorName(err) ?? 'error'}`,
    };
  }
}

/** The trail's settings for coverage. A denied call is recorded as "unknown", never fails the investigation. */
export async function trailSettings(ct: CloudTrailClient, trail: string): Promise<TrailSettings> {
  const [d, l] = await Promise.all([dataEvents(ct, trail), logging(ct, trail)]);
  return { dataEvents: d, logging: l };
}

/**
 * The public keys CloudTrail signed digests with over a time range, by fingerprint. `Value` is the
 * DER-encoded PKCS#1 RSAPublicKey.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 */
export async function publicKeys(ct: CloudTrailClient, start: Date, end: Date): Promise<PublicKeyLookup> {
  const keys = new Map<string, KeyObject>();
  let token: string | undefined;
  do {
    const out = await ct.send(
      new ListPublicKeysCommand({
        StartTime: start,
        EndTime: end,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    for (const k of out.PublicKeyList ?? []) {
      if (k.Fingerprint === undefined || k.Value === undefined) continue;
      keys.set(k.Fingerprint, createPublicKey({ key: Buffer.from(k.Value), format: 'der', type: 'pkcs1' }));
    }
    token = out.NextToken;
  } while (token !== undefined);
  return (fingerprint) => keys.get(fingerprint);
}
