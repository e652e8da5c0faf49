import type { BreachReport, EvidenceRef } from './document';

export interface IndexedRef extends EvidenceRef {
  /** `E1`, `E2`...: the label claims cite, in order of first citation. */
  readonly label: string;
}

const identity = (r: EvidenceRef) =>
  `${r.source}\u0000${r.key}\u0000${r.versionId ?? ''}\u0000${r.sha256 ?? ''}`;

/**
 * Numbers every evidence object the report cites, in the order the sections cite them, so each claim
 * carries a short label and one table lists each object's key, version and SHA-256 once.
 */
export class EvidenceIndex {
  private readonly byId = new Map<string, IndexedRef>();

  constructor(report: BreachReport) {
    const all: EvidenceRef[][] = [
      ...report.summary.map((c) => c.evidence),
      ...report.timeline.map((t) => t.evidence),
      ...report.containment.map((a) => a.evidence),
      report.evidence.evidence,
      report.reach.evidence,
      report.activity.evidence,
      report.exposure.evidence,
      report.secrets.evidence,
      ...report.hypotheses.flatMap((h) => h.supporting.map((s) => s.evidence)),
      report.exfiltration.evidence,
      ...report.unknowns.map((u) => u.evidence),
    ];
    for (const refs of all) for (const r of refs) this.add(r);
  }

  private add(r: EvidenceRef): void {
    const id = identity(r);
    if (!this.byId.has(id)) this.byId.set(id, { ...r, label: `E${this.byId.size + 1}` });
  }

  labels(refs: ReadonlyArray<EvidenceRef>): string[] {
    const out = new Set<string>();
    for (const r of refs) {
      const found = this.byId.get(identity(r));
      if (found !== undefined) out.add(found.label);
    }
    return [...out];
  }

  entries(): IndexedRef[] {
    return [...this.byId.values()];
  }
}
