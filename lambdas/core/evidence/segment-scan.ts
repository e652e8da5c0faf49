import { LEFT_CONTEXT } from '../investigation/secrets/patterns';
import type { SecretFinding } from '../investigation/secrets/secret-finding';
import { boundaryBytes, EDGE, type ScanOptions, type ScanResult } from '../investigation/secrets/secret-scan';
import { capFindings, SECRET_LIMIT } from '../investigation/secrets/segment-findings';
import type { BlockChecks } from './digest/check-blocks';
import type { DigestPool } from './digest/pool';

interface PartScan {
  readonly start: number;
  readonly end: number;
  readonly result?: ScanResult;
}

/**
 * The secret scan of one segment, on the digest threads. Each data part is scanned where its bytes
 * are, with its block checks (matches starting in [start + LEFT_CONTEXT, end - EDGE)); the bytes
 * around every boundary are scanned again together, so a match straddling two blocks' parts, two
 * segments or two image pieces is found once: a boundary owns the starts in [boundary - EDGE,
 * boundary + LEFT_CONTEXT). The segment owns the boundary at its end (it reads the next block's head)
 * and, at volume offset 0, its start.
 * A scan that fails leaves the export alone and is reported as incomplete.
 */
export class SegmentScan {
  private readonly parts = new Map<number, PartScan>();
  private failure: string | undefined;
  private scanned = 0;

  public constructor(
    private readonly pool: DigestPool,
    private readonly volumeId: string,
  ) {}

  /** The scan options of a data part: the starts it owns, with copies of its edges. */
  public partOptions(volumeStart: number, size: number): ScanOptions {
    const owned = { from: LEFT_CONTEXT, to: size - EDGE };
    return { volumeId: this.volumeId, base: volumeStart, ...owned, limit: SECRET_LIMIT, edges: true };
  }

  /** Records a data part's scan (run with its block checks, check-blocks.ts) or why it failed. */
  public part(partNumber: number, volumeStart: number, size: number, r: Omit<BlockChecks, 'digests'>): void {
    if (r.scan === undefined) {
      this.failure ??= `part ${partNumber}: ${r.scanError ?? 'not scanned'}`;
      return;
    }
    this.parts.set(partNumber, { start: volumeStart, end: volumeStart + size, result: r.scan });
    this.scanned += size;
  }

  /** Records why part of the segment went unscanned. */
  public incomplete(reason: string): void {
    this.failure ??= reason;
  }

  /** Records a never-written part (its bytes are zeros: nothing to find, nothing to carry). */
  public zeroPart(partNumber: number, volumeStart: number, size: number): void {
    this.parts.set(partNumber, { start: volumeStart, end: volumeStart + size });
  }

  /**
   * Scans the boundaries and returns the capped findings. `parts` are the segment's part numbers in
   * order; `nextHead` the first bytes after the segment (undefined: unwritten or the volume's end).
   */
  public async finish(
    parts: ReadonlyArray<number>,
    nextHead: Uint8Array | undefined,
  ): Promise<{ findings: SecretFinding[]; dropped: number; scannedBytes: number; incomplete?: string }> {
    const all: SecretFinding[] = [];
    let dropped = 0;
    for (const p of this.parts.values()) {
      all.push(...(p.result?.findings ?? []));
      dropped += p.result?.dropped ?? 0;
    }
    const edges: Array<{ at: number; tail?: Uint8Array; head?: Uint8Array }> = [];
    const first = this.parts.get(parts[0] ?? 0);
    if (first?.start === 0 && first.result?.head !== undefined)
      edges.push({ at: 0, head: first.result.head });
    parts.forEach((n, i) => {
      const left = this.parts.get(n);
      const next = parts[i + 1];
      const head = next === undefined ? nextHead : this.parts.get(next)?.result?.head;
      const tail = left?.result?.tail;
      if (left !== undefined && (tail !== undefined || head !== undefined))
        edges.push({ at: left.end, tail, head });
    });
    try {
      for (const r of await Promise.all(
        edges.map((e) => {
          const b = boundaryBytes(e.at, e.tail, e.head);
          return this.pool.scanBytes(b.bytes, { volumeId: this.volumeId, ...b, limit: SECRET_LIMIT });
        }),
      )) {
        all.push(...r.findings);
        dropped += r.dropped;
      }
    } catch (err) {
      this.failure ??= `part boundaries: ${err instanceof Error ? err.message : String(err)}`;
    }
    const capped = capFindings(all, dropped);
    return {
      ...capped,
      scannedBytes: this.scanned,
      ...(this.failure === undefined ? {} : { incomplete: this.failure }),
    };
  }
}
