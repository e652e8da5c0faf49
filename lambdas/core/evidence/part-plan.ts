import { BLOCK_SIZE, GIB, MIB } from './config';

/**
 * S3 multipart limits: at most 10,000 parts of 5 MiB-5 GiB (the last may be smaller), so one object
 * holds at most 48.8 TiB. https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export const S3_MAX_PARTS = 10_000;
export const S3_MIN_PART = 5 * MIB;
export const S3_MAX_PART = 5 * GIB;
/** Smallest part we use: 8 MiB (16 EBS blocks) keeps request counts low for small volumes. */
export const MIN_PART = 8 * MIB;
/**
 * Largest part we use: 32 MiB. A worker holds each part whole in memory (its SHA-256 goes in the
 * UploadPart request, so the part is read and hashed before it is sent), so the part size, not the
 * volume size, must bound a worker's memory: with the 96 MiB budget, three parts in flight on any
 * volume. Letting parts grow to fit a big volume in 10,000 parts would need 1.6 GiB per part for a
 * 16 TiB gp3 volume, more than the export Lambda has.
 */
export const MAX_PART = 32 * MIB;

/** One image object: a byte range of the volume uploaded as one multipart upload. */
export interface ObjectPlan {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly partSize: number;
  readonly partCount: number;
}

/**
 * Part size for a volume: the smallest multiple of the EBS block size (so no block straddles two
 * parts) that fits the volume in 10,000 parts, at most MAX_PART. Volumes beyond 10,000 x 32 MiB
 * (312.5 GiB) become a split raw image (`.001`, `.002`, ...), each piece one S3 object of at most
 * 10,000 parts, which forensic tools read as one disk (split raw, as `dd | split` writes it).
 */
export function planObjects(volumeBytes: number): ObjectPlan[] {
  if (!Number.isSafeInteger(volumeBytes) || volumeBytes <= 0) throw new RangeError('volume size must be > 0');
  const wanted = Math.ceil(volumeBytes / S3_MAX_PARTS / BLOCK_SIZE) * BLOCK_SIZE;
  const partSize = Math.min(Math.max(wanted, MIN_PART), MAX_PART);
  const perObject = partSize * S3_MAX_PARTS;
  const objects: ObjectPlan[] = [];
  for (let offset = 0, index = 0; offset < volumeBytes; offset += perObject, index += 1) {
    const length = Math.min(perObject, volumeBytes - offset);
    objects.push({ index, offset, length, partSize, partCount: Math.ceil(length / partSize) });
  }
  return objects;
}

/** Part numbers [firstPart, lastPart] (1-based, inclusive) handled by one worker. */
export interface PartRange {
  readonly firstPart: number;
  readonly lastPart: number;
}

/** Splits 1..partCount into consecutive ranges of at most `segmentParts` parts. */
export function planSegments(partCount: number, segmentParts: number): PartRange[] {
  const size = Math.max(1, Math.floor(segmentParts));
  const out: PartRange[] = [];
  for (let first = 1; first <= partCount; first += size) {
    out.push({ firstPart: first, lastPart: Math.min(partCount, first + size - 1) });
  }
  return out;
}

/** The byte range of one part within its object, and the EBS block indexes it covers. */
export function partRange(o: { offset: number; length: number; partSize: number }, partNumber: number) {
  const start = (partNumber - 1) * o.partSize;
  const size = Math.min(o.partSize, o.length - start);
  const volumeStart = o.offset + start;
  return {
    size,
    volumeStart,
    firstBlock: volumeStart / BLOCK_SIZE,
    /** Exclusive. */
    endBlock: Math.ceil((volumeStart + size) / BLOCK_SIZE),
  };
}
