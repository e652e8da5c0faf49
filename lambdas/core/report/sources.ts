import type { Manifest } from '../evidence/manifest';
import type { ActivityReport } from '../investigation/activity/report';
import type { ExposureFacts } from '../investigation/exposure/exposure-facts';
import type { FlowVolume } from '../investigation/flow-logs/flow-volume';
import type { SealedObject } from '../investigation/outcome';
import type { ReachReport } from '../investigation/reach/report';
import type { SecretFinding } from '../investigation/secrets/secret-finding';
import type { QuarantineRecord } from '../ledger/record';
import type { EvidenceRef } from './document';
import type { ReportInputs } from './inputs';

export const sealedRef = (o: SealedObject): EvidenceRef => ({
  source: 'vault',
  key: o.key,
  versionId: o.versionId ?? null,
  sha256: o.sha256,
});

export const ledgerRef = (r: QuarantineRecord): EvidenceRef => ({
  source: 'ledger',
  key: r.pk,
  versionId: null,
  sha256: null,
});

interface Source<T> {
  readonly body: T;
  readonly ref: EvidenceRef;
}

/** The inputs resolved to what the sections read, each with the reference its claims cite. */
export interface Sources {
  readonly record: QuarantineRecord;
  readonly ledger: EvidenceRef;
  readonly manifest?: Source<Manifest>;
  readonly activity?: Source<ActivityReport> & { readonly pass: 'initial' | 'late' };
  readonly reach?: Source<ReachReport>;
  readonly exposure?: Source<ExposureFacts>;
  /** Secret findings cite the manifest whose image records carry them (nothing when it is missing). */
  readonly secrets?: { readonly findings: ReadonlyArray<SecretFinding>; readonly refs: EvidenceRef[] };
  readonly flow?: { readonly body: FlowVolume; readonly refs: EvidenceRef[] };
  readonly awarenessAt: string;
  readonly awarenessBasis: string;
}

const source = <T>(s: { object: SealedObject; body: T } | undefined): Source<T> | undefined =>
  s === undefined ? undefined : { body: s.body, ref: sealedRef(s.object) };

/** The late activity pass (after CloudTrail's delivery delay) supersedes the initial one. */
export function resolveSources(i: ReportInputs): Sources {
  const late = source(i.activity?.late);
  const initial = source(i.activity?.initial);
  const activity =
    late !== undefined
      ? { ...late, pass: 'late' as const }
      : initial !== undefined
        ? { ...initial, pass: 'initial' as const }
        : undefined;
  const manifest = source(i.manifest);
  return {
    record: i.record,
    ledger: ledgerRef(i.record),
    ...(manifest === undefined ? {} : { manifest }),
    ...(activity === undefined ? {} : { activity }),
    ...(i.reach === undefined ? {} : { reach: source(i.reach) }),
    ...(i.exposure === undefined ? {} : { exposure: source(i.exposure) }),
    ...(i.secrets === undefined
      ? {}
      : { secrets: { findings: i.secrets, refs: manifest === undefined ? [] : [manifest.ref] } }),
    ...(i.flowVolume === undefined
      ? {}
      : {
          flow: {
            body: i.flowVolume.body,
            refs: i.flowVolume.object === undefined ? [] : [sealedRef(i.flowVolume.object)],
          },
        }),
    awarenessAt: i.awareness?.at ?? i.record.createdAt,
    awarenessBasis: i.awareness?.basis ?? 'the quarantine request (ledger record created)',
  };
}
