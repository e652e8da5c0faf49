import { ANCHORS, PEM_B } from './anchors';

/**
 * The WebAssembly module of the SIMD candidate pass (anchor-simd.ts), assembled from its instructions.
 * It imports its memory (`env.mem`, shared), so one compiled module serves every part buffer in place:
 * a part buffer is a shared WebAssembly.Memory, and the digest threads hash and scan the same bytes
 * without a copy (a copy out of a SharedArrayBuffer is an element-wise relaxed copy in V8, which cost
 * as much as the pass itself). `next(start, end)` returns the first position in [start, end) where a
 * whole anchor starts (anchors.ts), or `end`; it writes nothing, so threads may scan one memory at
 * once. It reads up to PAD bytes past `end`.
 * https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
 */
export const PAD = 64;
/** Bytes copied at a time into a private memory when the bytes are not in one (boundary copies, tests). */
export const WINDOW = 128 * 1024;
export const WINDOW_PAGES = Math.ceil((WINDOW + PAD) / 65536);

const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const tee = (l: number) => [0x22, l];
const i32 = (n: number) => [0x41, ...sleb(n)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const [AND, OR, SWIZZLE, ANY] = [simd(0x4e), simd(0x50), simd(0x0e), simd(0x53)];
const [EQ, NE, BITMASK, SHR_U16] = [simd(0x23), simd(0x24), simd(0x64), simd(0x8d)];
const load = (offset: number) => [...simd(0x00), 0x00, ...uleb(offset)];
const konst = (bytes: number[]) => [...simd(0x0c), ...bytes];
const [I32_ADD, I32_EQZ, I32_LT_U, I32_GE_U, I32_WRAP_I64] = [0x6a, 0x45, 0x49, 0x4f, 0xa7];
const [I64_CONST, I64_EQZ, I64_CTZ, I64_OR, I64_SHL, I64_EXTEND_I32_U] = [0x42, 0x50, 0x7a, 0x84, 0x86, 0xad];
const [BLOCK, LOOP, IF, END, BR, BR_IF, RETURN, SELECT, VOID] = [2, 3, 4, 0x0b, 0x0c, 0x0d, 0x0f, 0x1b, 0x40];

/**
 * 16-byte vectors per round of the loop: two measured fastest here (one leaves the loop's overhead per
 * vector, four ran out of vector registers).
 */
const ROUND = 2;
// Locals: 0 start, 1 end (params), 2 pos (i32), 3 bits (i64); v128: tables LO/HI per offset, MASK, V,
// then one lane mask per vector of a round.
const [POS, BITS, LO, HI, MASK, V, M] = [2, 3, 4, 7, 10, 11, 12];

/**
 * Nibble tables of the "Teddy" shuffle match (Hyperscan's multi-literal matcher): anchor k is bucket
 * bit k; at offset j a byte is in bucket k when its low nibble's and its high nibble's table entries both
 * carry bit k, which with one character per bucket and offset means exactly that character. The loop
 * matches the first two characters; only in a round where a pair starts (rare in any data) the third,
 * so the lanes left are the anchors starting there, exactly: no per-candidate check remains.
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

/** The lanes of the 16 positions at start + at whose byte at offset j is an anchor's j-th character. */
const charLanes = (at: number, j: number) => [
  ...get(LO + j),
  ...get(0),
  ...load(at + j),
  ...tee(V),
  ...get(MASK),
  ...AND,
  ...SWIZZLE,
  ...get(HI + j),
  ...get(V),
  ...i32(4),
  ...SHR_U16, // the high nibble by a 16-bit lane shift (one x64 instruction; an 8-bit one is emulated)
  ...get(MASK),
  ...AND,
  ...SWIZZLE,
  ...AND,
];

function body(): number[] {
  const tables = [0, 1, 2].flatMap((j) => {
    const t = nibbleTables(j);
    return [...konst(t.lo), ...set(LO + j), ...konst(t.hi), ...set(HI + j)];
  });
  const setup = [...konst(new Array<number>(16).fill(15)), ...set(MASK), ...tables];
  const rounds = Array.from({ length: ROUND }, (_, r) => r);
  const laneBits = (r: number) => [
    ...get(M + r),
    ...konst(new Array<number>(16).fill(0)),
    ...NE,
    ...BITMASK,
    I64_EXTEND_I32_U,
    ...(r === 0 ? [] : [I64_CONST, ...sleb(16 * r), I64_SHL, I64_OR]),
  ];
  // The PEM anchor's bucket bit survives only where its B follows (anchors.ts).
  const pem = 1 << (ANCHORS.length - 1);
  const pemB = (at: number) => [
    ...[...konst(new Array<number>(16).fill(0xff ^ pem)), ...get(0), ...load(at + PEM_B.at)],
    ...[...konst(new Array<number>(16).fill(PEM_B.char)), ...EQ, ...konst(new Array<number>(16).fill(pem))],
    ...[...AND, ...OR, ...AND],
  ];
  // A pair in some lane: the third characters decide; on a whole anchor, the first (capped at end).
  const hit = [
    ...rounds.flatMap((r) => [
      ...get(M + r),
      ...charLanes(16 * r, 2),
      ...AND,
      ...pemB(16 * r),
      ...set(M + r),
    ]),
    ...rounds.flatMap(laneBits),
    ...[...tee(BITS), I64_EQZ, I32_EQZ, IF, VOID],
    ...[...get(0), ...get(BITS), I64_CTZ, I32_WRAP_I64, I32_ADD, ...tee(POS)],
    ...[...get(1), ...get(POS), ...get(1), I32_LT_U, SELECT, RETURN, END],
  ];
  const pairs = rounds.flatMap((r) => [
    ...charLanes(16 * r, 0),
    ...charLanes(16 * r, 1),
    ...AND,
    ...tee(M + r),
    ...(r === 0 ? [] : OR),
  ]);
  const loop = [
    ...[BLOCK, VOID, LOOP, VOID],
    ...[...get(0), ...get(1), I32_GE_U, BR_IF, 1],
    ...[...pairs, ...ANY, IF, VOID, ...hit, END],
    ...[...get(0), ...i32(16 * ROUND), I32_ADD, ...set(0), BR, 0],
    ...[END, END],
  ];
  const locals = [3, 1, 0x7f, 1, 0x7e, M + ROUND - LO, 0x7b];
  const code = [...locals, ...setup, ...loop, ...get(1), END];
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

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];

export function moduleBytes(): Uint8Array {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    // One shared memory of 1 to 65536 pages: any part buffer's memory fits the import.
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x03, 1, ...uleb(65536)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('next'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}
