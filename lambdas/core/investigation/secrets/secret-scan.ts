import { type AnchorFinder, findAnchors } from './anchor-simd';
import { LEFT_CONTEXT, MAX_SPAN, matchAt, startsFormat } from './patterns';
import type { SecretFinding } from './secret-finding';

/**
 * Bytes kept on each side of a part boundary and scanned again together: a match starting within
 * EDGE bytes before a boundary (or LEFT_CONTEXT after it) is found there, where its whole span and its
 * left context are in view. Everything else is found in its part.
 */
export const EDGE = MAX_SPAN + 2 * LEFT_CONTEXT;

export interface ScanOptions {
  readonly volumeId: string;
  /** Volume offset of the scanned bytes' first byte. */
  readonly base: number;
  /** Matches are reported when they start in [from, to) of the scanned bytes. */
  readonly from: number;
  readonly to: number;
  /** Findings kept; the rest are counted in `dropped`. */
  readonly limit: number;
  /** Return copies of the first and last EDGE + LEFT_CONTEXT bytes, for the boundary scans. */
  readonly edges?: boolean;
}

export interface ScanResult {
  readonly findings: SecretFinding[];
  readonly dropped: number;
  readonly head?: Uint8Array;
  readonly tail?: Uint8Array;
}

/** Bytes of each boundary copy: EDGE + LEFT_CONTEXT on each side (see boundaryScan). */
export const EDGE_COPY = EDGE + LEFT_CONTEXT;

/**
 * Scans disk bytes for credential formats (patterns.ts). Runs on a digest thread: candidates come from
 * a SIMD pass over the bytes (`find`: in place on a part buffer, see inPlaceFinder), each is checked on
 * a small latin1 window around it. Findings carry offsets on the volume and redacted previews only.
 */
export function scanBytes(bytes: Uint8Array, o: ScanOptions, find: AnchorFinder = findAnchors): ScanResult {
  return confirmCandidates(bytes, find(bytes, o.from, Math.min(o.to, bytes.length)), o);
}

/**
 * The findings at candidate positions of `bytes` (ascending, in [o.from, o.to)): the second half of
 * scanBytes, for callers that ran the candidate pass themselves (a part's blocks, each while it is in
 * the cache after its block check).
 */
export function confirmCandidates(
  bytes: Uint8Array,
  candidates: ReadonlyArray<number>,
  o: ScanOptions,
): ScanResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const findings: SecretFinding[] = [];
  let dropped = 0;
  for (const at of candidates) {
    if (!startsFormat(buf, at)) continue;
    const start = Math.max(0, at - LEFT_CONTEXT);
    const window = buf.toString('latin1', start, Math.min(buf.length, at + MAX_SPAN));
    const m = matchAt(window, at - start);
    if (m === undefined) continue;
    if (findings.length >= o.limit) {
      dropped += 1;
      continue;
    }
    findings.push({ volumeId: o.volumeId, offset: o.base + at, ...m });
  }
  if (o.edges !== true) return { findings, dropped };
  const n = Math.min(EDGE_COPY, buf.length);
  return {
    findings,
    dropped,
    head: new Uint8Array(buf.subarray(0, n)),
    tail: new Uint8Array(buf.subarray(buf.length - n)),
  };
}

/**
 * The bytes around one boundary at volume offset `boundary`: the left part's tail and the right part's
 * head (zeros where a side was never written), with the starts this scan owns: [boundary - EDGE,
 * boundary + LEFT_CONTEXT). Part scans own [partStart + LEFT_CONTEXT, partEnd - EDGE).
 */
export function boundaryBytes(
  boundary: number,
  tail: Uint8Array | undefined,
  head: Uint8Array | undefined,
): { bytes: Uint8Array; base: number; from: number; to: number } {
  const bytes = new Uint8Array(2 * EDGE_COPY);
  if (tail !== undefined)
    bytes.set(
      tail.subarray(Math.max(0, tail.length - EDGE_COPY)),
      EDGE_COPY - Math.min(EDGE_COPY, tail.length),
    );
  if (head !== undefined) bytes.set(head.subarray(0, EDGE_COPY), EDGE_COPY);
  return { bytes, base: boundary - EDGE_COPY, from: EDGE_COPY - EDGE, to: EDGE_COPY + LEFT_CONTEXT };
}
