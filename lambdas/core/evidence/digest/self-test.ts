import { createHash } from 'node:crypto';
import { scannableMemory } from '../../investigation/secrets/anchor-simd';
import { type DigestPool, digestPool } from './pool';

const SIZE = 64 * 1024;
const BLOCK = SIZE / 2;
const PLANTED = '-----BEGIN RSA PRIVATE KEY-----';

/**
 * A known-answer test of the digest threads, run once per container before the first export: the
 * threads must digest a buffer and its blocks as createHash does and find a planted PEM header, or no
 * segment is exported with them. It also proves the threads start where they run (in a Lambda bundle,
 * from the inlined worker code), and scan a part buffer as exports do (in place where the runtime has
 * shared WebAssembly memory).
 */
export async function digestSelfTest(
  pool: DigestPool = digestPool(),
): Promise<{ sha256: boolean; scan: string[] }> {
  const { sab, memory } = scannableMemory(SIZE);
  const bytes = Buffer.from(sab, 0, SIZE);
  for (let i = 0; i < SIZE; i += 1) bytes[i] = (i * 7 + 3) & 0xff;
  // Across the two blocks: the candidate pass of one block and the check of the next must meet.
  bytes.write(PLANTED, BLOCK - 2, 'latin1');
  const id = pool.register(sab, memory);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');
  try {
    const [digest, blocks] = await Promise.all([
      pool.sha256(id, 0, SIZE),
      pool.checkBlocks(id, SIZE, [BLOCK, 0], BLOCK, {
        volumeId: 'self-test',
        base: 0,
        from: 0,
        to: SIZE,
        limit: 10,
      }),
    ]);
    return {
      sha256:
        digest === sha(bytes) &&
        blocks.digests[0] === sha(bytes.subarray(BLOCK)) &&
        blocks.digests[1] === sha(bytes.subarray(0, BLOCK)),
      scan: blocks.scan?.findings.map((f) => f.kind) ?? [],
    };
  } finally {
    pool.release(id);
  }
}
