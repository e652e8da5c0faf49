import { StepFailedError } from '../errors';
import { BLOCK_SIZE } from './config';

/**
 * Streams one GetSnapshotBlock body straight into its slot of a part buffer: each network chunk is
 * copied once, where transformToByteArray gathered the chunks into a fresh 512 KiB array that was then
 * copied again. A body longer or shorter than a block fails the segment (nothing past the slot is ever
 * written, so a neighbouring block stays intact).
 * https://docs.aws.amazon.com/ebs/latest/APIReference/API_GetSnapshotBlock.html
 */
export async function readBlockInto(body: unknown, target: Buffer, at: number, where: string): Promise<void> {
  // In Node the SDK hands the body out as a Readable (an async iterable of Buffers).
  if (!isChunks(body)) throw new StepFailedError(`${where}: no block data stream`, 'export-segment');
  if (at + BLOCK_SIZE > target.length)
    throw new StepFailedError(`${where}: block outside its part`, 'export-segment');
  let n = 0;
  for await (const chunk of body) {
    if (n + chunk.length > BLOCK_SIZE) {
      throw new StepFailedError(`${where}: more than ${BLOCK_SIZE} bytes of block data`, 'export-segment');
    }
    copyInto(target, chunk, at + n);
    n += chunk.length;
  }
  if (n !== BLOCK_SIZE) throw new StepFailedError(`${where}: short read (${n} bytes)`, 'export-segment');
}

const isChunks = (b: unknown): b is AsyncIterable<Uint8Array> =>
  typeof b === 'object' && b !== null && Symbol.asyncIterator in b;

/**
 * Copies `bytes` into `target` at `at`. Part buffers are shared memory, and V8 copies into a
 * SharedArrayBuffer (TypedArray set, Buffer copy) element by element with relaxed atomics: measured
 * here, that copy was half the event loop's CPU time in an export. Node's Buffer fill with a buffer
 * value is one memcpy when the range is exactly the value's length.
 * https://nodejs.org/docs/latest-v20.x/api/buffer.html#buffillvalue-offset-end-encoding
 */
export function copyInto(target: Buffer, bytes: Uint8Array, at: number): void {
  if (bytes.length > 0) target.fill(bytes, at, at + bytes.length);
}
