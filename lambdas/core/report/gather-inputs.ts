import type { S3Client } from '@aws-sdk/client-s3';
import type * as z from 'zod/mini';
import { sha256b64 } from '../evidence/checksums';
import { evidenceOf } from '../evidence/evidence-record';
import { type ImageRecord, Manifest } from '../evidence/manifest';
import { ActivityReport } from '../investigation/activity/report';
import { ExposureFacts } from '../investigation/exposure/exposure-facts';
import { FlowsReport } from '../investigation/flow-logs/flows-report';
import type { InvestigationOutcome, SealedObject } from '../investigation/outcome';
import { ReachReport } from '../investigation/reach/report';
import type { SecretFinding } from '../investigation/secrets/secret-finding';
import type { QuarantineRecord } from '../ledger/record';
import type { ReportConfig, ReportInputs, SealedInput } from './inputs';
import { readSealed } from './read-sealed';

/** What gathering found: the inputs, and each source that could not be used and why. */
export interface Gathered {
  readonly inputs: ReportInputs;
  /** A fingerprint of the sealed inputs (name and SHA-256 of each): equal fingerprints, same report. */
  readonly fingerprint: string;
  /** Objects whose bytes differ from their recorded SHA-256: alarms, left out of the report. */
  readonly mismatches: ReadonlyArray<string>;
  /** Objects that could not be read or parsed: left out, the report says they are unknown. */
  readonly unavailable: ReadonlyArray<string>;
}

/** The object a step recorded under the expected name (else its first one). */
const objectOf = (o: InvestigationOutcome | undefined, name: string): SealedObject | undefined =>
  o?.status !== 'written' ? undefined : (o.objects.find((x) => x.name === name) ?? o.objects[0]);

/**
 * The flow volume a pass sealed (`flows-<pass>.json`), whatever became of the trail: an activity pass
 * that could not follow the session may still have read the flow logs. The late pass's wins.
 */
const flowsOf = (a: NonNullable<QuarantineRecord['activity']>): SealedObject | undefined =>
  a.late?.objects.find((x) => x.name === 'flows-late.json') ??
  a.initial?.objects.find((x) => x.name === 'flows-initial.json');

/**
 * Secret findings the disk scan left on the manifest's image records (`images[].secrets`). No image
 * record carrying the field: undefined (the scan's result is unknown), never an empty list (which says
 * "scanned, none").
 */
export function secretsOf(manifest: {
  readonly volumes: ReadonlyArray<{ readonly images: ReadonlyArray<Pick<ImageRecord, 'secrets'>> }>;
}): SecretFinding[] | undefined {
  const images = manifest.volumes.flatMap((v) => v.images);
  if (!images.some((i) => i.secrets !== undefined)) return undefined;
  return images.flatMap((i) => i.secrets ?? []);
}

/**
 * Reads every sealed input of the report from the vault, by version, each checked against the SHA-256
 * the ledger recorded for it (the manifest's under `evidence.manifest`, the investigation steps' in
 * their outcome's `objects`, the flow volume among the activity pass's). A mismatch or an unreadable object leaves that input out: the report then
 * says it is unknown, and the caller records the mismatch as an alarm.
 */
export async function gatherInputs(
  s3: S3Client,
  bucket: string,
  record: QuarantineRecord,
  config: ReportConfig,
  generatedAt: Date,
): Promise<Gathered> {
  const mismatches: string[] = [];
  const unavailable: string[] = [];
  const used: string[] = [];
  const read = async <T>(
    what: string,
    object: SealedObject | undefined,
    schema: z.ZodMiniType<T>,
  ): Promise<SealedInput<T> | undefined> => {
    if (object === undefined) return undefined;
    const r = await readSealed(s3, bucket, object);
    if (r.status === 'mismatch') mismatches.push(r.detail);
    if (r.status === 'unreadable') unavailable.push(`${what}: ${r.detail}`);
    if (r.status !== 'verified') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(r.bytes.toString('utf8'));
    } catch {
      unavailable.push(`${what}: ${object.key} is not JSON`);
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      unavailable.push(`${what}: ${object.key} does not match its schema`);
      return undefined;
    }
    used.push(`${what}=${object.sha256}`);
    return { object, body: parsed.data };
  };
  const m = evidenceOf(record).manifest;
  const manifestObject =
    m === undefined
      ? undefined
      : { name: 'manifest.json', key: m.key, versionId: m.versionId, sha256: m.sha256 };
  const activity = record.activity ?? {};
  const [manifest, initial, late, reach, exposure, flows] = await Promise.all([
    read('manifest', manifestObject, Manifest),
    read('activity (initial pass)', objectOf(activity.initial, 'activity-initial.json'), ActivityReport),
    read('activity (late pass)', objectOf(activity.late, 'activity-late.json'), ActivityReport),
    read('reach', objectOf(record.reach, 'reach.json'), ReachReport),
    read('exposure', objectOf(record.exposure, 'exposure.json'), ExposureFacts),
    read('flow volume', flowsOf(activity), FlowsReport),
  ]);
  const secrets = manifest === undefined ? undefined : secretsOf(manifest.body);
  const inputs: ReportInputs = {
    record,
    ...(manifest === undefined ? {} : { manifest }),
    ...(initial === undefined && late === undefined
      ? {}
      : {
          activity: {
            ...(initial === undefined ? {} : { initial }),
            ...(late === undefined ? {} : { late }),
          },
        }),
    ...(reach === undefined ? {} : { reach }),
    ...(exposure === undefined ? {} : { exposure }),
    ...(secrets === undefined ? {} : { secrets }),
    ...(flows === undefined
      ? {}
      : {
          flowVolume: {
            object: flows.object,
            window: { since: flows.body.window.since, until: flows.body.window.until },
            body: flows.body.volume,
          },
        }),
    config,
    generatedAt: generatedAt.toISOString(),
  };
  const fingerprint = sha256b64(Buffer.from(JSON.stringify({ used: used.sort(), config })));
  return { inputs, fingerprint, mismatches, unavailable };
}
