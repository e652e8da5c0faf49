import { createHash, randomBytes } from 'node:crypto';
import { checkBlocks } from '../../../lambdas/core/evidence/digest/check-blocks';
import { inPlaceFinder, scannableMemory } from '../../../lambdas/core/investigation/secrets/anchor-simd';
import { scanBytes } from '../../../lambdas/core/investigation/secrets/secret-scan';
import { credentialsFile, PLANTED, pemFile } from '../investigation/secrets/planted-secrets';

const BLOCK = 64 * 1024;
const SIZE = 8 * BLOCK;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');
const options = { volumeId: 'vol-1', base: 1 << 30, from: 300, to: SIZE - 5000, limit: 100 };

/** A part buffer as exports fill it: written blocks of text and random bytes, zeros elsewhere. */
function part(written: ReadonlyArray<number>) {
  const { sab, memory } = scannableMemory(SIZE);
  const bytes = Buffer.from(sab, 0, SIZE);
  for (const b of written) {
    bytes.set(randomBytes(BLOCK), b * BLOCK);
    bytes.write(`\n${credentialsFile()}\n`, b * BLOCK + 9000, 'latin1');
  }
  // Across the end of written block 1 into unwritten block 2, and across blocks 4 and 5 (both written).
  bytes.write(` ${PLANTED.gitlab.slice(0, 1)}`, 2 * BLOCK - 2, 'latin1');
  bytes.write(PLANTED.gitlab.slice(1), 2 * BLOCK, 'latin1');
  bytes.write(`\n${pemFile()}`, 5 * BLOCK - 10, 'latin1');
  return { bytes, memory };
}

describe('Function: checkBlocks', () => {
  it('digests each written block and finds what a scan of the whole part finds, crossing blocks', () => {
    // Prepare: blocks 2 and 6 never written (zeros), except the token that runs into block 2.
    const written = [0, 1, 3, 4, 5, 7];
    const { bytes, memory } = part(written);
    const starts = written.map((b) => b * BLOCK).reverse();
    // Act
    const r = checkBlocks(bytes, SIZE, starts, BLOCK, options, memory && inPlaceFinder(memory));
    // Assess
    expect(r.digests).toEqual(starts.map((s) => sha(bytes.subarray(s, s + BLOCK))));
    const whole = scanBytes(bytes, options);
    expect(r.scan).toEqual(whole);
    expect(whole.findings.map((f) => f.kind)).toEqual([
      'aws-access-key',
      'aws-access-key',
      'gitlab-token',
      'aws-access-key',
      'aws-access-key',
      'private-key',
      'aws-access-key',
      'aws-access-key',
    ]);
  });

  it('returns the block digests and the reason when the scan fails', () => {
    const { bytes } = part([0, 1]);
    const failing = () => {
      throw new Error('no scan today');
    };
    const r = checkBlocks(bytes, SIZE, [0, BLOCK], BLOCK, options, failing);
    expect(r).toEqual({
      digests: [sha(bytes.subarray(0, BLOCK)), sha(bytes.subarray(BLOCK, 2 * BLOCK))],
      scanError: 'no scan today',
    });
  });

  it('only digests when no scan is asked for', () => {
    const { bytes } = part([3]);
    expect(checkBlocks(bytes, SIZE, [3 * BLOCK], BLOCK, undefined)).toEqual({
      digests: [sha(bytes.subarray(3 * BLOCK, 4 * BLOCK))],
    });
  });
});
