import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_EVIDENCE_CONFIG } from '../../lambdas/core/evidence/config';
import type { SealedObject } from '../../lambdas/core/investigation/outcome';
import { writeSealedObject } from '../../lambdas/core/investigation/vault-write';
import { type QuarantineRecord, recordKey } from '../../lambdas/core/ledger/record';
import type { ReportInputs } from '../../lambdas/core/report/inputs';
import type { EvidenceEnv } from './evidence-env';

/** The report fixture with every input (lambdas/core/report fixtures by the report document's session). */
export const fullInputs = (): ReportInputs =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/report/full-inputs.json'), 'utf8'));

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);

/**
 * A sealed quarantine as the workflow leaves it before the report step: the fixture record put into the
 * ledger, and the manifest and investigation results written into the vault (locked, as the steps write
 * them) with the key, version id and SHA-256 the record then names. `late: false` leaves out the late
 * activity pass (it arrives after the first report).
 */
export async function seedSealedQuarantine(
  e: EvidenceEnv,
  o: { late?: boolean } = {},
): Promise<{ record: QuarantineRecord; write: (name: string, body: unknown) => Promise<SealedObject> }> {
  const f = fullInputs();
  const cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: e.vault.bucket, retentionDays: 1 };
  const base = `evidence/${f.record.incidentId}/${f.record.quarantineId}/`;
  const write = (name: string, body: unknown) =>
    writeSealedObject(e.ev.s3, cfg, {
      name: name.slice(name.lastIndexOf('/') + 1),
      key: `${base}${name}`,
      body: json(body),
      contentType: 'application/json',
    });
  const [manifest, initial, reach, exposure] = await Promise.all([
    write('manifest.json', f.manifest?.body),
    write('investigation/activity-initial.json', f.activity?.initial?.body),
    write('investigation/reach.json', f.reach?.body),
    write('investigation/exposure.json', f.exposure?.body),
  ]);
  const outcome = (obj: SealedObject) => ({ status: 'written', at: f.record.updatedAt, objects: [obj] });
  const late =
    o.late === false ? undefined : await write('investigation/activity-late.json', f.activity?.late?.body);
  const record = {
    ...f.record,
    evidence: {
      ...(f.record.evidence ?? {}),
      manifest: { key: manifest.key, versionId: manifest.versionId ?? '', sha256: manifest.sha256 },
    },
    activity: { initial: outcome(initial), ...(late === undefined ? {} : { late: outcome(late) }) },
    reach: outcome(reach),
    exposure: outcome(exposure),
  } as QuarantineRecord;
  delete (record as { report?: unknown }).report;
  await e.env.ledger.ddb.send(
    new PutCommand({
      TableName: e.env.ledger.tableName,
      Item: { ...record, pk: recordKey(record.quarantineId) },
    }),
  );
  return { record, write };
}
