import { createHash } from 'node:crypto';
import { type AnchorFinder, findAnchors } from '../../investigation/secrets/anchor-simd';
import {
  confirmCandidates,
  type ScanOptions,
  type ScanResult,
} from '../../investigation/secrets/secret-scan';

export interface BlockChecks {
  /** Base64 SHA-256 of each block, in the order the blocks were given. */
  readonly digests: string[];
  readonly scan?: ScanResult;
  /** Why the scan failed (the digests stand: the scan never fails a block check). */
  readonly scanError?: string;
}

/**
 * The block checks and the secret scan of one filled part buffer, in one pass over its written blocks:
 * each block is hashed and then scanned while it is still in the core's cache, where separate passes
 * read every part from memory two more times. Blocks never written are zeros, where no anchor starts,
 * so only written blocks are scanned (an anchor running from the last bytes of a written block into a
 * zero block is still seen: the pass reads past the block's end). `starts` are the written blocks'
 * offsets in `buffer`; the scan (options relative to the part, [0, size)) covers `scan.from`-`scan.to`.
 */
export function checkBlocks(
  buffer: Uint8Array,
  size: number,
  starts: ReadonlyArray<number>,
  blockSize: number,
  scan: ScanOptions | undefined,
  find: AnchorFinder = findAnchors,
): BlockChecks {
  const part = buffer.subarray(0, size);
  const digests: string[] = [];
  const candidates: number[] = [];
  let scanError: string | undefined;
  // Ascending, so the candidates come out in order (ListSnapshotBlocks lists blocks in order).
  const order = starts.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  for (const [s, i] of order) {
    digests[i] = createHash('sha256')
      .update(buffer.subarray(s, s + blockSize))
      .digest('base64');
    if (scan === undefined || scanError !== undefined) continue;
    const from = Math.max(s, scan.from);
    const to = Math.min(s + blockSize, scan.to, size);
    try {
      if (from < to) for (const at of find(part, from, to)) candidates.push(at);
    } catch (err) {
      scanError = err instanceof Error ? err.message : String(err);
    }
  }
  if (scan === undefined) return { digests };
  if (scanError !== undefined) return { digests, scanError };
  try {
    return { digests, scan: confirmCandidates(part, candidates, scan) };
  } catch (err) {
    return { digests, scanError: err instanceof Error ? err.message : String(err) };
  }
}
