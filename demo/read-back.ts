import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFileFromImage } from '../local-aws/disk-image';

export interface PlantedFileCheck {
  readonly path: string;
  readonly imageKey: string;
  readonly imageVersionId: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly matches: boolean;
}

/**
 * Reads the planted file out of the locked image version the way an analyst would: fetch the image
 * bytes from the vault, open them with debugfs (e2fsprogs), and compare with what was planted.
 * Only the leading `fsBytes` are fetched: the ext4 filesystem the demo planted occupies the start of the
 * 1 GiB disk and the rest was never written (evidence verify has already hashed every byte).
 */
export async function readPlantedFile(
  s3: S3Client,
  o: {
    bucket: string;
    key: string;
    versionId: string;
    fsBytes: number;
    path: string;
    expected: Buffer;
  },
): Promise<PlantedFileCheck> {
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: o.bucket,
      Key: o.key,
      VersionId: o.versionId,
      Range: `bytes=0-${o.fsBytes - 1}`,
    }),
  );
  const bytes = await (res.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()));
  const dir = mkdtempSync(join(tmpdir(), 'sequester-demo-readback-'));
  try {
    const image = join(dir, 'root.img');
    writeFileSync(image, bytes);
    const got = readFileFromImage(image, o.path);
    return {
      path: o.path,
      imageKey: o.key,
      imageVersionId: o.versionId,
      bytes: got.length,
      sha256: createHash('sha256').update(got).digest('hex'),
      matches: got.equals(o.expected),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
