import { moduleBytes, PAD, WINDOW, WINDOW_PAGES } from './anchor-simd-module';
import { ANCHOR_SPAN, anchorAt, findAnchorsPortable } from './anchors';

/** A shared WebAssembly.Memory (the project's TypeScript libs do not declare the WebAssembly API). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type Next = (start: number, end: number) => number;
/** Candidate positions in [from, to) of `bytes`, in order (the answers of findAnchorsPortable). */
export type AnchorFinder = (bytes: Uint8Array, from: number, to: number) => number[];

let compiled: { wasm: WasmApi; module: object } | null | undefined;

function compile(): { wasm: WasmApi; module: object } | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    return { wasm, module: new wasm.Module(moduleBytes()) };
  } catch {
    return null; // no WebAssembly SIMD or threads in this runtime: the portable pass gives the same answers
  }
}

function instantiate(memory: WasmMemory): Next | null {
  compiled ??= compile();
  if (compiled === null) return null;
  const { wasm, module } = compiled;
  return new wasm.Instance(module, { env: { mem: memory } }).exports.next as Next;
}

/**
 * Shared memory of at least `size` bytes the SIMD pass can scan in place (a WebAssembly.Memory with
 * PAD bytes to spare), or a plain SharedArrayBuffer where WebAssembly threads are missing.
 */
export function scannableMemory(size: number): { sab: SharedArrayBuffer; memory?: WasmMemory } {
  compiled ??= compile();
  if (compiled !== null) {
    try {
      const pages = Math.ceil((size + PAD) / 65536);
      const memory = new compiled.wasm.Memory({ initial: pages, maximum: pages, shared: true });
      return { sab: memory.buffer, memory };
    } catch {
      // fall through: a plain buffer, scanned through a private window
    }
  }
  return { sab: new SharedArrayBuffer(size) };
}

/** The positions in [from, to) of the memory that `next` reports, in order. */
function collect(next: Next, from: number, to: number, delta: number, out: number[]): void {
  for (let at = next(from, to); at < to; at = next(at + 1, to)) out.push(at - delta);
}

/**
 * The candidate pass over `bytes` in place, where `bytes` is a view of `memory` (scannableMemory):
 * nothing is copied. Positions whose anchor would run past the view are left to the portable check.
 */
export function inPlaceFinder(memory: WasmMemory): AnchorFinder | undefined {
  const next = instantiate(memory);
  if (next === null) return undefined;
  return (bytes, from, to) => {
    if (bytes.buffer !== memory.buffer) return findAnchors(bytes, from, to);
    const end = Math.min(to, bytes.length - 2);
    const out: number[] = [];
    if (from < end) collect(next, bytes.byteOffset + from, bytes.byteOffset + end, bytes.byteOffset, out);
    // The pass read the memory past the view (an older part's bytes): the last positions are checked
    // again within the view.
    const tail = bytes.length - ANCHOR_SPAN;
    let k = out.length;
    while (k > 0 && (out[k - 1] as number) >= tail) k -= 1;
    return k === out.length ? out : [...out.slice(0, k), ...out.slice(k).filter((at) => anchorAt(bytes, at))];
  };
}

let windowed: { next: Next; memory: Uint8Array } | null | undefined;

function windowScanner(): { next: Next; memory: Uint8Array } | null {
  compiled ??= compile();
  if (compiled === null) return null;
  const memory = new compiled.wasm.Memory({ initial: WINDOW_PAGES, maximum: WINDOW_PAGES, shared: true });
  const next = instantiate(memory);
  return next === null ? null : { next, memory: new Uint8Array(memory.buffer) };
}

/**
 * The candidate pass of the secret scan in WebAssembly SIMD: it reads every byte the export writes, so
 * it must cost a fraction of the two SHA-256 passes beside it. Per 16 bytes it looks up all three
 * characters of every anchor (anchors.ts) at once with nibble shuffles, 32 bytes a round. Measured
 * here on random data: a byte loop in JavaScript ran at 0.2-0.4 of single-core SHA-256, one regular
 * expression at 0.15-0.3, this pass in place (inPlaceFinder) at 4-5 times SHA-256 (3 times on source
 * text, where pairs such as "gi" are common), with a copy out of a SharedArrayBuffer at under 2 times.
 * The module is assembled from its instructions (anchor-simd-module.ts).
 *
 * Returns the candidate positions in [from, to) of `bytes`, in order (the answers of
 * findAnchorsPortable); bytes outside a WebAssembly memory are copied through a window.
 */
export function findAnchors(bytes: Uint8Array, from: number, to: number): number[] {
  windowed ??= windowScanner();
  if (windowed === null) return findAnchorsPortable(bytes, from, to);
  const { next, memory } = windowed;
  const out: number[] = [];
  for (let a = from; a < Math.min(to, bytes.length); a += WINDOW) {
    const b = Math.min(to, a + WINDOW);
    // The bytes past the window, where present, complete an anchor starting at its last positions.
    const copy = bytes.subarray(a, Math.min(bytes.length, b + ANCHOR_SPAN - 1));
    memory.set(copy, 0);
    memory.fill(0, copy.length, copy.length + PAD);
    collect(next, 0, Math.min(b - a, copy.length - 2), -a, out);
  }
  return out;
}
