/**
 * The three-byte starts of every secret format the scan looks for: AWS key ids (AKIA, ASIA), GitHub
 * (ghp_, github_pat_), GitLab (glpat-), Slack (xox?-), JWTs (eyJ, base64 of `{"`) and PEM headers
 * (-----BEGIN). A position where one of these starts is a candidate; patterns.ts decides. The PEM
 * anchor also needs the B of BEGIN five bytes on (PEM_B): dashes are common in text (rules, tables),
 * and a run of them would otherwise be a candidate at every byte.
 */
export const ANCHORS = ['AKI', 'ASI', 'ghp', 'git', 'glp', 'xox', 'eyJ', '---'] as const;
/** Where the PEM anchor ('---', the last of ANCHORS) needs its B, and the longest anchor's bytes. */
export const PEM_B = { at: 5, char: 0x42 } as const;
export const ANCHOR_SPAN = PEM_B.at + 1;

const table = new Uint8Array(1 << 16);
ANCHORS.forEach((a, k) => {
  const pair = a.charCodeAt(0) | (a.charCodeAt(1) << 8);
  table[pair] = (table[pair] ?? 0) | (1 << k);
});
const third = ANCHORS.map((a) => a.charCodeAt(2));

/** Whether an anchor starts at `i` (a byte it needs past the end of `bytes` counts as no match). */
export function anchorAt(bytes: Uint8Array, i: number): boolean {
  if (i + 2 >= bytes.length) return false;
  const bits = table[(bytes[i] as number) | ((bytes[i + 1] as number) << 8)] as number;
  if (bits === 0) return false;
  const c = bytes[i + 2] as number;
  for (let k = 0; k < third.length; k += 1) {
    if ((bits & (1 << k)) === 0 || third[k] !== c) continue;
    if (k < ANCHORS.length - 1) return true;
    return i + PEM_B.at < bytes.length && bytes[i + PEM_B.at] === PEM_B.char;
  }
  return false;
}

/**
 * Candidate positions in [from, to) of `bytes`, in order: the portable path (and the reference the
 * SIMD path is tested against). Reads up to two bytes past `to` when present.
 */
export function findAnchorsPortable(bytes: Uint8Array, from: number, to: number): number[] {
  const out: number[] = [];
  const end = Math.min(to, bytes.length - 2);
  for (let i = from; i < end; i += 1) if (anchorAt(bytes, i)) out.push(i);
  return out;
}
