import { DATA, moduleBytes, OUT, OUT_CAP, WINDOW } from './anchor-simd-module';
import { anchorAt, findAnchorsPortable } from './anchors';

interface Scanner {
  readonly scan: (start: number, end: number, out: number, outEnd: number) => number;
  readonly memory: Uint8Array;
}
/** The WebAssembly API as far as used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
let scanner: Scanner | null | undefined;

function load(): Scanner | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { exports } = new wasm.Instance(new wasm.Module(moduleBytes()));
    const mem = exports.mem as { buffer: ArrayBuffer };
    return { scan: exports.scan as Scanner['scan'], memory: new Uint8Array(mem.buffer) };
  } catch {
    return null; // no WebAssembly SIMD in this runtime: the portable pass gives the same answers
  }
}

/**
 * The candidate pass of the secret scan in WebAssembly SIMD: it reads every byte the export writes, so
 * it must cost a fraction of the two SHA-256 passes beside it. Per 16 bytes it looks up the first two
 * characters of every anchor (anchors.ts) at once with nibble shuffles and reports the lanes where a
 * pair starts; the third character is checked per candidate. Measured here on random data: a byte loop
 * in JavaScript ran at 0.2-0.4 of single-core SHA-256, one regular expression at 0.15-0.3, this pass at
 * 2-4 times SHA-256. The module is assembled from its instructions (anchor-simd-module.ts).
 *
 * Returns the candidate positions in [from, to) of `bytes`, in order (the answers of
 * findAnchorsPortable).
 */
export function findAnchors(bytes: Uint8Array, from: number, to: number): number[] {
  scanner ??= load();
  if (scanner === null) return findAnchorsPortable(bytes, from, to);
  const { scan, memory } = scanner;
  const out: number[] = [];
  const view = new Int32Array(memory.buffer, OUT, OUT_CAP);
  for (let a = from; a < to; a += WINDOW) {
    const b = Math.min(to, a + WINDOW);
    const copy = bytes.subarray(a, Math.min(bytes.length, b + 2));
    memory.set(copy, DATA);
    memory.fill(0, DATA + copy.length, DATA + copy.length + 32);
    for (let start = DATA; ; ) {
      const end = scan(start, DATA + (b - a), OUT, OUT + OUT_CAP * 4);
      const n = (end - OUT) / 4;
      for (let k = 0; k < n; k += 1) {
        const at = (view[k] as number) - DATA + a;
        if (anchorAt(bytes, at)) out.push(at);
      }
      if (n < OUT_CAP) break;
      start = (view[n - 1] as number) + 1;
    }
  }
  return out;
}
