import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { type AnchorFinder, inPlaceFinder } from '../../investigation/secrets/anchor-simd';
import { type ScanResult, scanBytes } from '../../investigation/secrets/secret-scan';
import type { DigestReply, DigestRequest } from './protocol';

/**
 * The digest thread (see pool.ts): SHA-256 of block and part ranges, and the secret scan of a part,
 * over the shared part buffers. Bundled on its own (worker-source.ts) and started with `eval`, so the
 * Lambda package stays one file.
 */
interface Registered {
  readonly bytes: Buffer;
  /** The SIMD pass over this buffer in place, when it is a WebAssembly memory. */
  readonly find?: AnchorFinder;
}
const buffers = new Map<number, Registered>();

function answer(m: Exclude<DigestRequest, { kind: 'register' | 'release' }>): string | ScanResult {
  if (m.kind === 'scan-bytes') return scanBytes(m.bytes, m.scan);
  const whole = buffers.get(m.buffer);
  if (whole === undefined) throw new Error(`buffer ${m.buffer} is not registered`);
  const view = whole.bytes.subarray(m.start, m.end);
  if (m.kind === 'sha256') return createHash('sha256').update(view).digest('base64');
  return scanBytes(view, m.scan, whole.find);
}

parentPort?.on('message', (m: DigestRequest) => {
  if (m.kind === 'register') {
    const find = m.memory === undefined ? undefined : inPlaceFinder(m.memory);
    buffers.set(m.buffer, { bytes: Buffer.from(m.sab), ...(find === undefined ? {} : { find }) });
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
