import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WasmMemory } from '../../investigation/secrets/anchor-simd';
import type { ScanOptions, ScanResult } from '../../investigation/secrets/secret-scan';
import { PartBuffers } from '../part-buffers';
import type { BlockChecks } from './check-blocks';
import type { DigestReply, DigestRequest } from './protocol';
import { digestWorkerSource } from './source';

type Task = Exclude<DigestRequest, { kind: 'register' | 'release' }>;
type TaskInput = Task extends infer T ? (T extends Task ? Omit<T, 'id'> : never) : never;

interface Thread {
  readonly worker: Worker;
  /** Tasks sent and not answered. */
  busy: number;
}

interface Waiting {
  readonly task: Task;
  resolve(v: unknown): void;
  reject(e: Error): void;
  thread?: Thread;
}

/**
 * Tasks a thread holds at once: two, so it starts the next while its answer to the last crosses back,
 * and no more, so a thread never queues work the other one could take. A part makes two tasks of
 * about equal cost (its SHA-256; its block checks with the scan, a quarter of a digest per byte), so
 * two threads share every part.
 */
const PER_THREAD = 2;

/**
 * A thread's young generation: its garbage is small and short-lived (messages, digests, the scan's
 * windows), and V8's default lets each thread's heap grow by several MiB it never needs (measured: two
 * threads took 4 MiB less RSS with 2 MiB). The old generation keeps V8's default: a thread that hits a
 * limit dies, and with it the export.
 */
const LIMITS = { maxYoungGenerationSizeMb: 2 };

/**
 * Worker threads that digest and scan ranges of shared part buffers, so the export's event loop only
 * moves bytes: each byte is digested twice (block check, part SHA-256) and scanned once, and on one
 * thread that work left the second core idle. Few, large tasks (two per part, not one per block):
 * every message costs both threads a wake-up, and a thread waiting for its next task idles. Measured on a 2-core machine: two threads over a
 * SharedArrayBuffer reach 0.87 of single-core SHA-256, WebCrypto on the libuv pool (which copies its
 * input) 0.53-0.59 (/work/shared/measurements/README.md). Threads are unreferenced while idle, so an
 * idle pool never keeps a process alive; a thread that dies fails its tasks and retires the pool.
 */
export class DigestPool {
  private readonly threads: Thread[];
  private readonly waiting = new Map<number, Waiting>();
  /** Tasks not yet sent to a thread, oldest first. */
  private readonly queue: Waiting[] = [];
  private nextTask = 1;
  private nextBuffer = 1;
  public broken: Error | undefined;
  /** Shared part buffers registered with these threads. */
  public readonly buffers = new PartBuffers(this);

  public constructor(size: number) {
    const code = digestWorkerSource();
    this.threads = Array.from({ length: size }, () => {
      // No execArgv: a thread inherits the process's by default, and with `-r @swc-node/register`
      // (tests, bench, demo) each loaded the TypeScript compiler it never uses (about 45 MiB each).
      const worker = new Worker(code, { eval: true, execArgv: [], resourceLimits: LIMITS });
      const t: Thread = { worker, busy: 0 };
      t.worker.unref();
      t.worker.on('message', (r: DigestReply) => this.settle(r));
      t.worker.on('error', (err) => this.fail(err));
      t.worker.on('exit', (code) => this.fail(new Error(`digest thread exited with code ${code}`)));
      return t;
    });
  }

  /**
   * Shares a part buffer with every thread; later tasks name it by the returned number. When the buffer
   * is a WebAssembly memory's (scannableMemory), `memory` lets the threads scan it in place.
   */
  public register(sab: SharedArrayBuffer, memory?: WasmMemory): number {
    const buffer = this.nextBuffer++;
    const m: DigestRequest = { kind: 'register', buffer, sab, ...(memory === undefined ? {} : { memory }) };
    for (const t of this.threads) t.worker.postMessage(m);
    return buffer;
  }

  public release(buffer: number): void {
    for (const t of this.threads) t.worker.postMessage({ kind: 'release', buffer } satisfies DigestRequest);
  }

  /** Base64 SHA-256 of bytes [start, end) of a registered buffer. */
  public sha256(buffer: number, start: number, end: number): Promise<string> {
    return this.run({ kind: 'sha256', buffer, start, end }) as Promise<string>;
  }

  /**
   * SHA-256 of each block at `starts` (blockSize bytes) of a registered buffer holding a part of `size`
   * bytes, and the part's secret scan when `scan` is given (check-blocks.ts).
   */
  public checkBlocks(
    buffer: number,
    size: number,
    starts: ReadonlyArray<number>,
    blockSize: number,
    scan?: ScanOptions,
  ): Promise<BlockChecks> {
    const options = scan === undefined ? {} : { scan };
    return this.run({ kind: 'blocks', buffer, size, starts, blockSize, ...options }) as Promise<BlockChecks>;
  }

  /** Secret scan of a small private copy (the bytes around a part boundary). */
  public scanBytes(bytes: Uint8Array, scan: ScanOptions): Promise<ScanResult> {
    return this.run({ kind: 'scan-bytes', bytes, scan }) as Promise<ScanResult>;
  }

  public async close(): Promise<void> {
    this.broken ??= new Error('digest pool closed');
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private run(input: TaskInput): Promise<unknown> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const task = { ...input, id: this.nextTask++ } as Task;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) for (const t of this.threads) t.worker.ref();
      const w: Waiting = { task, resolve, reject };
      this.waiting.set(task.id, w);
      this.queue.push(w);
      this.dispatch();
    });
  }

  /** Sends queued tasks to threads with room, the least busy first. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (thread.busy >= PER_THREAD) return;
      const w = this.queue.shift() as Waiting;
      w.thread = thread;
      thread.busy += 1;
      thread.worker.postMessage(w.task);
    }
  }

  private settle(r: DigestReply): void {
    const w = this.waiting.get(r.id);
    if (w === undefined) return;
    this.done(r.id, w);
    if ('error' in r) w.reject(new Error(r.error));
    else w.resolve(r.value);
    this.dispatch();
  }

  private done(id: number, w: Waiting): void {
    this.waiting.delete(id);
    if (w.thread !== undefined) w.thread.busy -= 1;
    if (this.waiting.size === 0) for (const t of this.threads) t.worker.unref();
  }

  private fail(err: Error): void {
    this.broken ??= err;
    this.queue.length = 0;
    for (const [id, w] of [...this.waiting]) {
      this.done(id, w);
      w.reject(err);
    }
  }
}

let shared: DigestPool | undefined;

/**
 * The process's pool, started on first use and kept across invocations of a warm Lambda. Two threads
 * at least (block checks and part digests overlap), at most four.
 */
export function digestPool(): DigestPool {
  if (shared?.broken !== undefined) shared = undefined;
  shared ??= new DigestPool(Math.min(4, Math.max(2, availableParallelism())));
  return shared;
}
