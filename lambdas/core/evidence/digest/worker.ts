import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { type AnchorFinder, inPlaceFinder } from '../../investigation/secrets/anchor-simd';
import { type ScanResult, scanBytes } from '../../investigation/secrets/secret-scan';
import { type BlockChecks, checkBlocks } from './check-blocks';
import type { DigestReply, DigestRequest } from './protocol';

/**
 * The digest thread (see pool.ts): SHA-256 of part ranges, the block checks and secret scan of a part,
 * over the shared part buffers, and the scan of the small copies around part boundaries. Bundled on
 * its own (source.ts) and started with `eval`, so the Lambda package stays one file.
 */
interface Registered {
  readonly bytes: Buffer;
  /** The SIMD pass over this buffer in place, when it is a WebAssembly memory. */
  readonly find?: AnchorFinder;
}
const buffers = new Map<number, Registered>();

type Task = Exclude<DigestRequest, { kind: 'register' | 'release' }>;

function answer(m: Task): string | ScanResult | BlockChecks {
  if (m.kind === 'scan-bytes') return scanBytes(m.bytes, m.scan);
  const whole = buffers.get(m.buffer);
  if (whole === undefined) throw new Error(`buffer ${m.buffer} is not registered`);
  if (m.kind === 'sha256')
    return createHash('sha256').update(whole.bytes.subarray(m.start, m.end)).digest('base64');
  return checkBlocks(whole.bytes, m.size, m.starts, m.blockSize, m.scan, whole.find);
}

parentPort?.on('message', (m: DigestRequest) => {
  if (m.kind === 'register') {
    const find = m.memory === undefined ? undefined : inPlaceFinder(m.memory);
    // The memory's own buffer: the in-place pass runs on views of exactly it.
    const bytes = Buffer.from(m.memory?.buffer ?? m.sab);
    buffers.set(m.buffer, { bytes, ...(find === undefined ? {} : { find }) });
    return;
  }
  if (m.kind === 'release') {
    buffers.delete(m.buffer);
    return;
  }
  let reply: DigestReply;
  try {
    reply = { id: m.id, value: answer(m) };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
