import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ArchivedObject, needsRestore } from '../../lambdas/core/evidence/archive-state';
import { mapLimit } from '../../lambdas/core/evidence/concurrency';
import { CheckFailedError } from '../errors';
import type { LocatedManifest } from './locate';

/**
 * Evidence in GLACIER or DEEP_ARCHIVE (the vault's cold storage) must be restored before anything can
 * read it: a reviewer command says so, naming the objects, instead of failing on InvalidObjectState.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export class ArchivedEvidenceError extends CheckFailedError {
  public constructor(
    public readonly archived: ReadonlyArray<ArchivedObject>,
    ref: string,
  ) {
    const first = archived[0];
    const more = archived.length > 1 ? ` and ${archived.length - 1} more` : '';
    super(
      `archived, restore first: ${first === undefined ? '' : `${first.key} (${first.storageClass})`}${more}; start the restore with \`sequester evidence restore-archive ${ref}\` and run this again once it completes (hours for DEEP_ARCHIVE)`,
    );
    this.name = 'ArchivedEvidenceError';
  }
}

/** Throws ArchivedEvidenceError when any image of the manifest needs a restore before it can be read. */
export async function assertNotArchived(s3: S3Client, bucket: string, located: LocatedManifest) {
  const m = located.manifest;
  const images = m.volumes.flatMap((v) => v.images);
  const found = await mapLimit(images, 8, async (img): Promise<ArchivedObject | undefined> => {
    const h = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: img.key, VersionId: img.versionId }),
    );
    const storageClass = needsRestore(h);
    return storageClass === undefined ? undefined : { key: img.key, versionId: img.versionId, storageClass };
  });
  const archived = found.filter((a): a is ArchivedObject => a !== undefined);
  if (archived.length > 0) throw new ArchivedEvidenceError(archived, `${m.incidentId}/${m.quarantineId}`);
}
