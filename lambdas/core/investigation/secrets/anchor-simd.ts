import { ANCHORS, anchorAt, findAnchorsPortable } from './anchors';

/**
 * The candidate pass of the secret scan in WebAssembly SIMD: it reads every byte the export writes, so
 * it must cost a fraction of the two SHA-256 passes beside it. Per 16 bytes it looks up the first two
 * characters of every anchor (anchors.ts) at once with nibble shuffles and reports the lanes where a
 * pair starts; the third character is checked per candidate. Measured here on random data: a byte loop
 * in JavaScript ran at 0.2-0.4 of single-core SHA-256, one regular expression at 0.15-0.3, this pass at
 * 2-4 times SHA-256. The module is assembled here from its instructions (no build step, no blob).
 * https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
 */
const OUT = 0;
const OUT_CAP = 16 * 1024;
const DATA = OUT_CAP * 4;
/** Bytes copied into the module's memory at a time: small enough to be scanned from the L2 cache. */
const WINDOW = 128 * 1024;
const PAGES = Math.ceil((DATA + WINDOW + 64) / 65536);

const get = (l: number) => [0x20, l];
const simd = (op: number) => [0xfd, op];
const AND = simd(0x4e);
// Locals: 0 start, 1 end, 2 out, 3 outEnd (params); 4 bits, 5 pos (i32); then v128s.
const [V0, M, MASK, ZERO, LO, HI] = [6, 8, 9, 10, 11, 13];

/**
 * Nibble tables of the "Teddy" shuffle match (Hyperscan's multi-literal matcher): anchor k is bucket
 * bit k; at offset j a byte is in bucket k when its low nibble's and its high nibble's table entries both
 * carry bit k, which with one character per bucket and offset means exactly that character.
 */
function nibbleTables(j: number): { lo: number[]; hi: number[] } {
  const lo = new Array<number>(16).fill(0);
  const hi = new Array<number>(16).fill(0);
  ANCHORS.forEach((a, k) => {
    const c = a.charCodeAt(j);
    lo[c & 15] = (lo[c & 15] ?? 0) | (1 << k);
    hi[c >> 4] = (hi[c >> 4] ?? 0) | (1 << k);
  });
  return { lo, hi };
}

function body(): number[] {
  const konst = (bytes: number[], local: number) => [...simd(0x0c), ...bytes, 0x21, local];
  const tables = [0, 1].flatMap((j) => {
    const t = nibbleTables(j);
    return [...konst(t.lo, LO + j), ...konst(t.hi, HI + j)];
  });
  const setup = [
    ...konst(new Array<number>(16).fill(15), MASK),
    ...konst(new Array<number>(16).fill(0), ZERO),
    ...tables,
  ];
  const load = (j: number) => [...get(0), ...simd(0x00), 0x00, j, 0x21, V0 + j];
  // In bucket at offset j: swizzle(LO_j, v_j & 0x0f) & swizzle(HI_j, (v_j >> 4) & 0x0f). The high
  // nibble comes from a 16-bit lane shift (one x64 instruction; an 8-bit lane shift is emulated).
  const bucket = (j: number) => [
    ...get(LO + j),
    ...get(V0 + j),
    ...get(MASK),
    ...AND,
    ...simd(0x0e),
    ...get(HI + j),
    ...get(V0 + j),
    0x41,
    4,
    0xfd,
    0x8d,
    0x01,
    ...get(MASK),
    ...AND,
    ...simd(0x0e),
    ...AND,
  ];
  // The first two characters here; the third is checked per candidate (a pair is rare in any data).
  const mask = [...bucket(0), ...bucket(1), ...AND, 0x21, M];
  const lanes = [
    ...get(M),
    ...get(ZERO),
    ...simd(0x24),
    ...simd(0x64),
    0x21,
    4, // bits = bitmask(mask != 0)
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(4),
    0x45,
    0x0d,
    1, // no bits left: leave
    ...get(0),
    ...get(4),
    0x68,
    0x6a,
    0x21,
    5, // pos = start + ctz(bits)
    ...get(5),
    ...get(1),
    0x49,
    0x04,
    0x40, // pos < end
    ...get(2),
    ...get(5),
    0x36,
    0x02,
    0x00, // *out = pos
    ...get(2),
    0x41,
    4,
    0x6a,
    0x22,
    2,
    ...get(3),
    0x46,
    0x04,
    0x40,
    ...get(2),
    0x0f,
    0x0b, // full: return
    0x0b,
    ...get(4),
    ...get(4),
    0x41,
    1,
    0x6b,
    0x71,
    0x21,
    4, // bits &= bits - 1
    0x0c,
    0,
    0x0b,
    0x0b,
  ];
  const loop = [
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(0),
    ...get(1),
    0x49,
    0x45,
    0x0d,
    1, // start >= end: leave
    ...load(0),
    ...load(1),
    ...mask,
    ...get(M),
    ...simd(0x53),
    0x04,
    0x40,
    ...lanes,
    0x0b, // any lane set
    ...get(0),
    0x41,
    16,
    0x6a,
    0x21,
    0, // start += 16
    0x0c,
    0,
    0x0b,
    0x0b,
  ];
  const locals = [2, 2, 0x7f, HI + 2 - V0, 0x7b];
  const code = [...locals, ...setup, ...loop, ...get(2), 0x0b];
  return [...uleb(code.length), ...code];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
}

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(PAGES)]),
    ...section(7, [2, ...name('scan'), 0x00, 0, ...name('mem'), 0x02, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

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

/** Candidate positions in [from, to) of `bytes`, in order (same answers as findAnchorsPortable). */
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
