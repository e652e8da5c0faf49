import { findAnchorsPortable } from './anchors';

/**
 * The candidate pass of the secret scan in WebAssembly SIMD: it reads every byte the export writes, so
 * it must cost a fraction of the two SHA-256 passes beside it. Per 16 bytes it compares three shifted
 * loads against the anchors' bytes (anchors.ts) and only reports the lanes where an anchor starts; a
 * byte loop in JavaScript ran at 0.4 of SHA-256's speed on random data, so the scan halved throughput.
 * The module is assembled here from its instructions (no build step, no binary blob).
 * https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
 */
const OUT = 0;
const OUT_CAP = 16 * 1024;
const DATA = OUT_CAP * 4;
const WINDOW = 1024 * 1024;
const PAGES = Math.ceil((DATA + WINDOW + 64) / 65536);

const get = (l: number) => [0x20, l];
const eq = (a: number, b: number) => [...get(a), ...get(b), 0xfd, 0x23];
const AND = [0xfd, 0x4e];
const OR = [0xfd, 0x50];
// Locals: 0 start, 1 end, 2 out, 3 outEnd (params); 4 bits, 5 pos (i32); 6-8 loads at +0,+1,+2; 9 mask.
const [V0, V1, V2, M] = [6, 7, 8, 9];
const CHARS = 'AKSIghpitlxoeyJ-';
const C = (ch: string) => 10 + CHARS.indexOf(ch);

function body(): number[] {
  const consts = [...CHARS].flatMap((ch) => [0x41, ...sleb(ch.charCodeAt(0)), 0xfd, 0x0f, 0x21, C(ch)]);
  const load = (offset: number, local: number) => [...get(0), 0xfd, 0x00, 0x00, offset, 0x21, local];
  const mask = [
    ...eq(V0, C('A')),
    ...eq(V1, C('K')),
    ...eq(V1, C('S')),
    ...OR,
    ...AND,
    ...eq(V2, C('I')),
    ...AND,
    ...eq(V0, C('g')),
    ...eq(V1, C('h')),
    ...eq(V2, C('p')),
    ...AND,
    ...eq(V1, C('i')),
    ...eq(V2, C('t')),
    ...AND,
    ...OR,
    ...eq(V1, C('l')),
    ...eq(V2, C('p')),
    ...AND,
    ...OR,
    ...AND,
    ...OR,
    ...eq(V0, C('x')),
    ...eq(V1, C('o')),
    ...AND,
    ...eq(V2, C('x')),
    ...AND,
    ...OR,
    ...eq(V0, C('e')),
    ...eq(V1, C('y')),
    ...AND,
    ...eq(V2, C('J')),
    ...AND,
    ...OR,
    ...eq(V0, C('-')),
    ...eq(V1, C('-')),
    ...AND,
    ...eq(V2, C('-')),
    ...AND,
    ...OR,
    0x21,
    M,
  ];
  const lanes = [
    ...get(M),
    0xfd,
    0x64,
    0x21,
    4, // bits = i8x16.bitmask(mask)
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
    ...load(0, V0),
    ...load(1, V1),
    ...load(2, V2),
    ...mask,
    ...get(M),
    0xfd,
    0x53,
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
  const locals = [2, 2, 0x7f, 4 + CHARS.length, 0x7b];
  const code = [...locals, ...consts, ...loop, ...get(2), 0x0b];
  return [...uleb(code.length), ...code];
}

/** i32.const takes a signed LEB128: codes 64-127 need two bytes. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
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
      for (let k = 0; k < n; k += 1) out.push((view[k] as number) - DATA + a);
      if (n < OUT_CAP) break;
      start = (view[n - 1] as number) + 1;
    }
  }
  return out;
}
