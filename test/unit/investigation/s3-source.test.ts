import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectActivity } from '../../../lambdas/core/investigation/activity/collect';
import { validateDigestChain } from '../../../lambdas/core/investigation/activity/digest-chain';
import { S3TrailSource } from '../../../lambdas/core/investigation/activity/s3-source';
import { publicKeys, trailSettings } from '../../../lambdas/core/investigation/activity/trail-settings';
import { FINGERPRINT, PUBLIC_KEY, writeDigest } from './digest-fixtures';
import { getObject, instanceIdentity, logKey, PRINCIPAL, record, writeTrail } from './trail-fixtures';

const s3 = mockClient(S3Client);
const ct = mockClient(CloudTrailClient);
const WINDOW = { since: '2026-11-29T00:00:00Z', until: '2026-11-29T23:00:00Z' };
const roots: string[] = [];
afterEach(() => {
  s3.reset();
  ct.reset();
});
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Serves a folder as bucket `trail` under `prefix`, answering ListObjectsV2 as S3 does (delimiter, 2-key pages). */
function serveBucket(root: string, prefix: string) {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.metadata.json')) files.set(prefix + relative(root, p), p);
    }
  };
  walk(root);
  const keys = [...files.keys()].sort();
  s3.on(ListObjectsV2Command).callsFake(
    (input: { Prefix?: string; Delimiter?: string; ContinuationToken?: string }) => {
      const under = keys.filter((k) => k.startsWith(input.Prefix ?? ''));
      const contents: string[] = [];
      const prefixes = new Set<string>();
      for (const k of under) {
        const rest = k.slice((input.Prefix ?? '').length);
        const cut = input.Delimiter === undefined ? -1 : rest.indexOf(input.Delimiter);
        if (cut >= 0) prefixes.add((input.Prefix ?? '') + rest.slice(0, cut + 1));
        else contents.push(k);
      }
      const all = [...[...prefixes].map((p) => ({ p })), ...contents.map((k) => ({ k }))];
      const start = Number(input.ContinuationToken ?? 0);
      const page = all.slice(start, start + 2);
      const more = start + 2 < all.length;
      return {
        Contents: page.flatMap((x) => ('k' in x ? [{ Key: x.k }] : [])),
        CommonPrefixes: page.flatMap((x) => ('p' in x ? [{ Prefix: x.p }] : [])),
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(start + 2) } : {}),
      };
    },
  );
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const path = files.get(input.Key);
    if (path === undefined)
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    const bytes = readFileSync(path);
    return {
      Body: { transformToByteArray: async () => new Uint8Array(bytes) },
    } as unknown as GetObjectCommandOutput;
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const path = files.get(input.Key);
    const meta = path === undefined ? undefined : `${path}.metadata.json`;
    try {
      return { Metadata: meta === undefined ? {} : JSON.parse(readFileSync(meta, 'utf8')) };
    } catch {
      return { Metadata: {} };
    }
  });
}

describe('Class: S3TrailSource', () => {
  it('reads the window from a prefixed trail bucket, listing only its date folders, every page', async () => {
    // Prepare
    const root = writeTrail({
      [logKey('eu-west-1', '2026-11-29T10:05:00Z', 1)]: [
        getObject(instanceIdentity(), 'customer-data', 'a.csv', 10),
      ],
      [logKey('eu-west-1', '2026-11-29T10:10:00Z', 2)]: [record({})],
      [logKey('eu-west-1', '2026-11-29T10:15:00Z', 3)]: [record({})],
      [logKey('us-east-1', '2026-11-20T10:05:00Z', 4)]: [record({ eventTime: '2026-11-29T10:00:00Z' })],
    });
    roots.push(root);
    serveBucket(root, 'org/');
    // Act
    const report = await collectActivity(new S3TrailSource(new S3Client({}), 'trail', 'org'), {
      principalId: PRINCIPAL,
      ...WINDOW,
    });
    // Assess
    expect(report.events).toBe(3);
    expect(report.coverage.files).toBe(3);
    expect(report.coverage.source).toBe('s3://trail/org/');
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'trail',
      Prefix: 'org/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/29/',
      Delimiter: '/',
    });
    expect(s3).not.toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'org/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/',
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 3);
  });

  it('validates the digest chain with the keys ListPublicKeys returns and signatures from object metadata', async () => {
    // Prepare
    const key = logKey('eu-west-1', '2026-11-29T10:05:00Z', 1);
    const records = [record({ eventTime: '2026-11-29T10:00:00Z' })];
    const root = writeTrail({ [key]: records });
    roots.push(root);
    writeDigest(root, 'eu-west-1', '2026-11-29T11:00:00Z', { [key]: records }, undefined);
    serveBucket(root, '');
    ct.on(ListPublicKeysCommand).resolves({
      PublicKeyList: [
        { Fingerprint: FINGERPRINT, Value: PUBLIC_KEY.export({ format: 'der', type: 'pkcs1' }) },
      ],
    });
    const source = new S3TrailSource(new S3Client({}), 'trail');
    // Act
    const lookup = await publicKeys(new CloudTrailClient({}), new Date(WINDOW.since), new Date(WINDOW.until));
    const report = await collectActivity(
      source,
      { principalId: PRINCIPAL, ...WINDOW },
      {
        validateDigests: (files, window) => validateDigestChain(source, files, window, lookup),
      },
    );
    // Assess
    expect(report.coverage.digests).toMatchObject({ digests: 1, valid: 1, coveredFiles: [key], breaks: [] });
  });
});

describe('Function: trailSettings', () => {
  it('reads data events from advanced selectors and logging from the trail status', async () => {
    // Prepare
    ct.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [
        {
          Name: 'S3 data',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    });
    ct.on(GetTrailStatusCommand).resolves({
      IsLogging: true,
      LatestDeliveryTime: new Date('2026-11-29T23:55:00Z'),
    });
    // Act
    const s = await trailSettings(new CloudTrailClient({}), 'org-trail');
    // Assess
    expect(s.dataEvents).toEqual({
      enabled: true,
      basis: 'GetEventSelectors',
      detail: 'resource types: AWS::S3::Object',
    });
    expect(s.logging).toEqual({
      isLogging: true,
      basis: 'GetTrailStatus',
      latestDeliveryTime: '2026-11-29T23:55:00.000Z',
    });
  });

  it('says data events are off for management-only selectors and records a denied call as unknown', async () => {
    // Prepare
    ct.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }],
    });
    ct.on(GetTrailStatusCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    // Act
    const s = await trailSettings(new CloudTrailClient({}), 'org-trail');
    // Assess
    expect(s.dataEvents).toMatchObject({ enabled: false, basis: 'GetEventSelectors' });
    expect(s.logging).toEqual({
      isLogging: 'unknown',
      basis: 'none',
      detail: 'GetTrailStatus failed: AccessDeniedException',
    });
  });
});
