import type { VerifyReport } from '../lambdas/core/evidence/verify';
import type { InvestigationOutcome } from '../lambdas/core/investigation/outcome';
import type { QuarantineRecord } from '../lambdas/core/ledger/record';
import type { DemoAccount } from './demo-account';
import type { PlantedFileCheck } from './read-back';
import type { DemoReport } from './report-output';

/** What `npm start -- --json` prints as its last line. */
export interface DemoSummary {
  readonly ok: boolean;
  readonly quarantineId: string;
  readonly incidentId: string;
  readonly instanceId: string;
  readonly state: string;
  /** The failed step and its reason, as record-failure wrote them to the ledger. */
  readonly failure?: { readonly step: string; readonly message: string };
  /** From the finding's delivery to the intake until every ENI sat in the quarantine group. */
  readonly networkCutMs: number | null;
  readonly isolatedMs: number | null;
  readonly evidenceSealedMs: number | null;
  readonly totalMs: number;
  readonly changes: ReadonlyArray<{ step: string; outcome: string; at: string }>;
  readonly evidence: {
    readonly bucket: string;
    readonly manifestKey: string | null;
    readonly manifestVersionId: string | null;
    readonly images: ReadonlyArray<{
      volumeId: string;
      deviceName: string;
      key: string;
      versionId: string;
      bytes: number;
      writtenBlocks: number;
      retention?: { mode?: string; until?: string };
    }>;
    readonly verified: boolean;
    readonly problems: ReadonlyArray<string>;
  };
  /** What the instance's credentials did (the activity step's last pass, from the scenario's trail). */
  readonly activity: {
    readonly status: string;
    readonly events: number | null;
    readonly touched: number | null;
    readonly other: number | null;
    /** Bytes that left the VPC from the instance before the cut (its VPC flow log); null: unknown. */
    readonly flowBytesOut: number | null;
    /** S3 bytes read (CloudTrail) against the bytes that left (flows): `comparable`, a mismatch or `unknown`. */
    readonly egressCheck: string;
  };
  /** What the instance's role could read before isolation, and after (must be 0). */
  readonly reach: {
    readonly status: string;
    readonly storesReachableBeforeIsolation: number | null;
    readonly storesReachableAfterIsolation: number | null;
    readonly classifiedReachable: number | null;
  };
  readonly plantedFile:
    | PlantedFileCheck
    | { readonly path: string; readonly matches: false; readonly error: string };
  readonly emulator?: { readonly endpoint: string; readonly commands: ReadonlyArray<string> };
  /** The file the Lambda handlers' JSON log lines were written to (demo/log-file.ts). */
  readonly lambdaLogFile: string;
  /** The sealed breach report, checked against the ledger, and its HTML page written beside the log file. */
  readonly report: DemoReport;
  /** The handlers ran under IAM enforcement (local-aws/iam/); calls AWS would have refused them. */
  readonly localAws: { readonly iamEnforced: boolean; readonly accessDenied: number };
}

const since = (start: number, iso: string | undefined) =>
  iso === undefined ? null : Date.parse(iso) - start;
const count = (o: InvestigationOutcome | undefined, key: string) => {
  const v = o?.summary?.[key];
  return typeof v === 'number' ? v : null;
};

/** The investigation's numbers: the activity's late pass when written, else its first. */
function investigation(rec: QuarantineRecord): Pick<DemoSummary, 'activity' | 'reach'> {
  const late = rec.activity?.late;
  const a = late?.status === 'written' ? late : rec.activity?.initial;
  return {
    activity: {
      status: a?.status ?? 'not-run',
      events: count(a, 'events'),
      touched: count(a, 'touched'),
      other: count(a, 'other'),
      flowBytesOut: count(a, 'flowBytesOut'),
      egressCheck: typeof a?.summary?.egressCheck === 'string' ? a.summary.egressCheck : 'unknown',
    },
    reach: {
      status: rec.reach?.status ?? 'not-run',
      storesReachableBeforeIsolation: count(rec.reach, 'storesReachableBeforeIsolation'),
      storesReachableAfterIsolation: count(rec.reach, 'storesReachableAfterIsolation'),
      classifiedReachable: count(rec.reach, 'classifiedReachable'),
    },
  };
}

export function buildSummary(
  a: DemoAccount,
  rec: QuarantineRecord,
  deliveredAt: number,
  startedAt: number,
  report: VerifyReport | undefined,
  planted: DemoSummary['plantedFile'],
): Omit<DemoSummary, 'emulator' | 'lambdaLogFile' | 'localAws' | 'report'> {
  const manifest = (rec.evidence as { manifest?: { key: string; versionId: string } } | undefined)?.manifest;
  const sealed = rec.actions.find((x) => x.step === 'seal-manifest' && x.outcome === 'ok')?.at;
  const verified = report?.ok === true;
  return {
    ok: verified && planted.matches && rec.state === 'evidence_sealed',
    quarantineId: rec.quarantineId,
    incidentId: rec.incidentId,
    instanceId: rec.instance.instanceId,
    state: rec.state,
    ...(rec.failure === undefined ? {} : { failure: rec.failure }),
    networkCutMs: since(deliveredAt, rec.networkCutAt),
    isolatedMs: since(deliveredAt, rec.isolatedAt),
    evidenceSealedMs: since(deliveredAt, sealed),
    totalMs: Date.now() - startedAt,
    changes: rec.actions
      .filter((x) => x.outcome !== 'skipped')
      .map((x) => ({ step: x.step, outcome: x.outcome, at: x.at })),
    evidence: {
      bucket: a.vaultBucket,
      manifestKey: manifest?.key ?? null,
      manifestVersionId: manifest?.versionId ?? null,
      images: (report?.manifest.volumes ?? []).flatMap((v) =>
        v.images.map((i) => {
          const obj = report?.objects.find((o) => o.key === i.key && o.versionId === i.versionId);
          return {
            volumeId: v.volumeId,
            deviceName: v.deviceName,
            key: i.key,
            versionId: i.versionId,
            bytes: i.length,
            writtenBlocks: i.writtenBlocks,
            ...(obj?.retention === undefined ? {} : { retention: obj.retention }),
          };
        }),
      ),
      verified,
      problems: report?.problems ?? ['verification did not run'],
    },
    ...investigation(rec),
    plantedFile: planted,
  };
}

export function renderSummary(s: DemoSummary): string {
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v} ms`);
  const lines = [
    '',
    `${s.ok ? 'DONE' : 'FAILED'}: quarantine ${s.quarantineId} (${s.state})`,
    ...(s.failure === undefined ? [] : [`  failed step       ${s.failure.step}: ${s.failure.message}`]),
    `  instance          ${s.instanceId}, incident ${s.incidentId}`,
    `  network cut       ${ms(s.networkCutMs)} after the finding was delivered`,
    `  isolated          ${ms(s.isolatedMs)}; evidence sealed ${ms(s.evidenceSealedMs)}; demo total ${ms(s.totalMs)}`,
    '  what changed',
    ...s.changes.map((c) => `    ${c.step.padEnd(26)} ${c.outcome}`),
    `  evidence          s3://${s.evidence.bucket}/${s.evidence.manifestKey ?? '(no manifest)'}`,
    ...s.evidence.images.map(
      (i) =>
        `    ${i.deviceName.padEnd(10)} ${i.volumeId}  ${i.bytes} bytes, ${i.writtenBlocks} written blocks, ` +
        `${i.retention?.mode ?? 'no lock'} until ${i.retention?.until ?? '?'}\n      s3://${s.evidence.bucket}/${i.key}`,
    ),
    `  activity          ${s.activity.status}: ${s.activity.events ?? '?'} events, ${s.activity.touched ?? '?'} data stores touched, ${s.activity.other ?? '?'} calls from outside the instance; ${s.activity.flowBytesOut ?? 'unknown'} bytes left the VPC (flow log), S3 read vs out: ${s.activity.egressCheck}`,
    `  reach             ${s.reach.status}: ${s.reach.storesReachableBeforeIsolation ?? '?'} data stores reachable before isolation (${s.reach.classifiedReachable ?? '?'} classified), ${s.reach.storesReachableAfterIsolation ?? '?'} after`,
    `  verify            ${s.evidence.verified ? 'every part matches the manifest and S3 checksums' : `FAILED: ${s.evidence.problems.join('; ')}`}`,
    'matches' in s.plantedFile && 'sha256' in s.plantedFile
      ? `  planted file      ${s.plantedFile.path}: ${s.plantedFile.bytes} bytes, sha256 ${s.plantedFile.sha256.slice(0, 16)}..., ${s.plantedFile.matches ? 'identical to what the attacker planted' : 'DIFFERS'}`
      : `  planted file      ${s.plantedFile.path}: not read (${'error' in s.plantedFile ? s.plantedFile.error : ''})`,
    `  breach report     ${s.report.verified ? `${s.report.htmlPath} (sealed s3://${s.evidence.bucket}/${s.report.key}, SHA-256 ${s.report.sha256} as the ledger records it)` : `NOT VERIFIED: ${s.report.detail ?? ''}`}`,
    `  lambda logs       ${s.lambdaLogFile}`,
    `  local AWS         IAM enforced: ${s.localAws.iamEnforced ? 'yes' : 'no'}, access denied: ${s.localAws.accessDenied}`,
  ];
  return lines.join('\n');
}
