import { ANCHORS } from './anchors';

/**
 * The WebAssembly module of the SIMD candidate pass (anchor-simd.ts), assembled from its instructions.
 * Memory layout: candidate positions (i32) at OUT, then the window of disk bytes at DATA.
 * `scan(start, end, out, outEnd)` writes the positions in [start, end) where the first two characters
 * of an anchor start, and returns the end of what it wrote (outEnd when full: call again after the last).
 * https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
 */
export const OUT = 0;
export const OUT_CAP = 16 * 1024;
export const DATA = OUT_CAP * 4;
/** Bytes copied into the module's memory at a time: small enough to be scanned from the L2 cache. */
export const WINDOW = 128 * 1024;
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

export function moduleBytes(): Uint8Array {
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
