import { createHash } from 'node:crypto';
import { scannableMemory } from '../../investigation/secrets/anchor-simd';
import { type DigestPool, digestPool } from './pool';

const SIZE = 64 * 1024;
const PLANTED = '-----BEGIN RSA PRIVATE KEY-----';

/**
 * A known-answer test of the digest threads, run once per container before the first export: the
 * threads must digest a buffer as createHash does and find a planted PEM header, or no segment is
 * exported with them. It also proves the threads start where they run (in a Lambda bundle, from the
 * inlined worker code).
 */
export async function digestSelfTest(
  pool: DigestPool = digestPool(),
): Promise<{ sha256: boolean; scan: string[] }> {
  // A part buffer as exports use them: where WebAssembly memory is shared, the scan reads it in place.
  const { sab, memory } = scannableMemory(SIZE);
  const bytes = Buffer.from(sab, 0, SIZE);
  for (let i = 0; i < SIZE; i += 1) bytes[i] = (i * 7 + 3) & 0xff;
  bytes.write(PLANTED, 40_000, 'latin1');
  const id = pool.register(sab, memory);
  try {
    const [digest, scan] = await Promise.all([
      pool.sha256(id, 0, SIZE),
      pool.scan(id, 0, SIZE, { volumeId: 'self-test', base: 0, from: 0, to: SIZE, limit: 10 }),
    ]);
    return {
      sha256: digest === createHash('sha256').update(bytes).digest('base64'),
      scan: scan.findings.map((f) => f.kind),
    };
  } finally {
    pool.release(id);
  }
}
