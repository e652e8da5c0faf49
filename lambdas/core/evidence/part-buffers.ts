import { scannableMemory } from '../investigation/secrets/anchor-simd';
import type { DigestPool } from './digest/pool';

export interface PartBuffer {
  /** The buffer's number in the digest pool. */
  readonly id: number;
  readonly bytes: Buffer;
}

/**
 * Part buffers in shared memory, registered once with the digest threads and reused part after part,
 * segment after segment (and across invocations of a warm Lambda): no fresh 8-32 MiB allocation and
 * page faults per part, and the threads read the bytes the event loop wrote without a copy (each is a
 * WebAssembly memory where the runtime has them, so the SIMD scan reads it in place too). A
 * SharedArrayBuffer is only freed once every thread has dropped it too, so buffers are kept rather than
 * churned. Only buffers of the last size asked for are kept; others are released when given back.
 */
export class PartBuffers {
  private free: PartBuffer[] = [];
  private size = 0;
  private readonly sizes = new Map<number, number>();

  public constructor(private readonly pool: Pick<DigestPool, 'register' | 'release'>) {}

  public take(size: number): PartBuffer {
    if (size !== this.size) {
      for (const b of this.free) this.drop(b);
      this.free = [];
      this.size = size;
    }
    const got = this.free.pop();
    if (got !== undefined) return got;
    const { sab, memory } = scannableMemory(size);
    const b = { id: this.pool.register(sab, memory), bytes: Buffer.from(sab, 0, size) };
    this.sizes.set(b.id, size);
    return b;
  }

  public give(b: PartBuffer): void {
    if (b.bytes.length === this.size) this.free.push(b);
    else this.drop(b);
  }

  /** Buffers registered and not released. */
  public get registered(): number {
    return this.sizes.size;
  }

  private drop(b: PartBuffer): void {
    this.sizes.delete(b.id);
    this.pool.release(b.id);
  }
}
