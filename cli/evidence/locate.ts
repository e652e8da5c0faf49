import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../../lambdas/core/errors';
import { archivedClassOf } from '../../lambdas/core/evidence/archive-state';
import { Manifest } from '../../lambdas/core/evidence/manifest';
import { IncidentId, InstanceId, QuarantineId } from '../../lambdas/core/schemas/ids';
import { NotFoundError } from '../errors';
import { parseArg } from '../validate';
import { ArchivedEvidenceError } from './archived';

/** Where the reviewer commands find the vault: flags, else the environment the stack outputs set. */
export interface VaultLocation {
  readonly bucket: string;
  /** Key prefix of the evidence (the pipeline's EvidenceConfig.prefix). */
  readonly prefix: string;
}

export function vaultFrom(o: { bucket?: string; prefix?: string }): VaultLocation {
  const bucket = o.bucket ?? process.env.SEQUESTER_VAULT_BUCKET;
  if (bucket === undefined || bucket === '')
    throw new InvalidInputError(
      '--bucket: no vault bucket; pass --bucket or set SEQUESTER_VAULT_BUCKET',
      '--bucket',
    );
  return { bucket, prefix: o.prefix ?? process.env.SEQUESTER_EVIDENCE_PREFIX ?? 'evidence/' };
}

/** A manifest found in the vault, with its location. */
export interface LocatedManifest {
  readonly key: string;
  readonly versionId?: string;
  readonly manifest: Manifest;
}

async function readManifest(s3: S3Client, bucket: string, key: string): Promise<LocatedManifest> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((err: unknown) => {
    // A manifest past the cold-storage transition: GetObject answers InvalidObjectState until restored.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
    const storageClass = archivedClassOf(err);
    if (storageClass === undefined) throw err;
    const [, incident, quarantineId] = key.match(/([^/]+)\/([^/]+)\/manifest\.json$/) ?? [];
    throw new ArchivedEvidenceError([{ key, storageClass }], `${incident}/${quarantineId}`);
  });
  const manifest = Manifest.parse(JSON.parse((await res.Body?.transformToString()) ?? 'null'));
  return { key, manifest, ...(res.VersionId === undefined ? {} : { versionId: res.VersionId }) };
}

/** Every manifest key under the prefix (one per sealed quarantine): `<prefix><incident>/<q-id>/manifest.json`. */
export async function manifestKeys(s3: S3Client, v: VaultLocation, incident?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: v.bucket,
        Prefix: `${v.prefix}${incident === undefined ? '' : `${incident}/`}`,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    for (const o of page.Contents ?? []) if (o.Key?.endsWith('/manifest.json') === true) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

export async function listManifests(
  s3: S3Client,
  v: VaultLocation,
  incident?: string,
): Promise<LocatedManifest[]> {
  const keys = await manifestKeys(s3, v, incident);
  if (incident !== undefined && keys.length === 0)
    throw new NotFoundError(
      `unknown incident ${incident}: no sealed evidence under s3://${v.bucket}/${v.prefix}${incident}/`,
      'incident',
    );
  return Promise.all(keys.map((key) => readManifest(s3, v.bucket, key)));
}

/**
 * Resolves `<incident>/<instance-id>` (the newest sealed evidence of that instance in the incident) or
 * `<incident>/<quarantine-id>` to its manifest. Unknown incident or instance: NotFoundError (exit 2).
 */
export async function locateEvidence(s3: S3Client, v: VaultLocation, ref: string): Promise<LocatedManifest> {
  const [incidentPart, target, ...rest] = ref.split('/');
  if (target === undefined || rest.length > 0)
    throw new InvalidInputError(
      `<evidence>: must be <incident>/<instance-id> or <incident>/<quarantine-id> (got "${ref.slice(0, 80)}")`,
      '<evidence>',
    );
  const incident = parseArg(IncidentId, incidentPart, '<evidence> incident');
  if (target.startsWith('q-')) {
    const id = parseArg(QuarantineId, target, '<evidence> quarantine');
    const key = `${v.prefix}${incident}/${id}/manifest.json`;
    const found = (await manifestKeys(s3, v, incident)).includes(key);
    if (!found)
      throw new NotFoundError(
        `no sealed evidence for ${incident}/${id} in s3://${v.bucket}/${v.prefix}`,
        'evidence',
      );
    return readManifest(s3, v.bucket, key);
  }
  const instanceId = parseArg(InstanceId, target, '<evidence> instance');
  const all = await listManifests(s3, v, incident);
  const mine = all
    .filter((m) => m.manifest.instance.instanceId === instanceId)
    .sort((a, b) => b.manifest.sealedAt.localeCompare(a.manifest.sealedAt));
  const newest = mine[0];
  if (newest === undefined)
    throw new NotFoundError(
      `incident ${incident} has no sealed evidence of instance ${instanceId}`,
      'instance',
    );
  return newest;
}
