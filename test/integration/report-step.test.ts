import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createEvidenceClients, createLedgerClients } from '../../lambdas/core/clients';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig } from '../../lambdas/core/evidence/config';
import { getQuarantine, updateQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildReport } from '../../lambdas/core/report/build';
import type { ReportConfig } from '../../lambdas/core/report/inputs';
import { issueReport, type RenderReport } from '../../lambdas/core/report/issue';
import { reportOf } from '../../lambdas/core/report/report-record';
import { localKey } from '../../local-aws/iam/local-roles';
import { type EvidenceEnv, freshEvidenceEnv, setEvidenceHandlerEnv } from '../support/evidence-env';
import { fullInputs, seedSealedQuarantine } from '../support/sealed-quarantine';

const CONFIG: ReportConfig = { organisation: 'Example Corp', jurisdictions: ['gdpr', 'nis2'] };

/** The document as JSON (the real builder) and stand-in renderings that name what they were built from. */
const render: RenderReport = (inputs) => {
  const doc = buildReport(inputs);
  const from = `activity late: ${inputs.activity?.late === undefined ? 'no' : 'yes'}`;
  return { json: JSON.stringify(doc), md: `# Report\n${from}\n`, html: `<!doctype html><p>${from}</p>` };
};

describe('the report step against moto, with its own role', () => {
  let e: EvidenceEnv;
  let cfg: EvidenceConfig;
  let roleClients: {
    s3: ReturnType<typeof createEvidenceClients>['s3'];
    ledger: ReturnType<typeof createLedgerClients>;
  };
  const quarantineId = fullInputs().record.quarantineId;
  const issue = (r: RenderReport = render, config = CONFIG) =>
    issueReport(roleClients.s3, roleClients.ledger, quarantineId, cfg, config, r);
  const body = async (o: { key: string; versionId?: string } | undefined) => {
    const got = await e.ev.s3.send(
      new GetObjectCommand({ Bucket: e.vault.bucket, Key: o?.key, VersionId: o?.versionId }),
    );
    return (await got.Body?.transformToString()) ?? '';
  };

  beforeAll(async () => {
    e = await freshEvidenceEnv('report-vault');
    setEvidenceHandlerEnv(e);
    cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: e.vault.bucket, retentionDays: 1, legalHold: true };
    const opts = { ...e.opts, credentials: localKey('lambda/issue-report') };
    roleClients = {
      s3: createEvidenceClients(opts).s3,
      ledger: createLedgerClients(opts, e.env.ledger.tableName),
    };
    await seedSealedQuarantine(e, { late: false });
  }, 120_000);

  it('locks report.json, .md and .html under the evidence prefix and records each SHA-256 in the ledger', async () => {
    // Act
    const out = await issue();
    // Assess
    expect(out.status).toBe('issued');
    expect(e.env.enforcer.denials).toEqual([]);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    const [v1] = reportOf(rec as NonNullable<typeof rec>).versions;
    expect(v1?.objects.map((o) => o.key)).toEqual(
      ['json', 'md', 'html'].map((f) => `evidence/${rec?.incidentId}/${quarantineId}/report/report.${f}`),
    );
    const html = await e.ev.s3.send(
      new GetObjectCommand({
        Bucket: e.vault.bucket,
        Key: v1?.objects[2]?.key,
        VersionId: v1?.objects[2]?.versionId,
      }),
    );
    expect(html.ObjectLockMode).toBe('COMPLIANCE');
    expect(html.ObjectLockLegalHoldStatus).toBe('ON');
    expect(html.ContentType).toBe('text/html; charset=utf-8');
    expect(rec?.actions.at(-1)).toMatchObject({
      step: 'issue-report',
      outcome: 'ok',
      detail: { version: 1 },
    });
  });

  it('writes no new version when called again with the same inputs', async () => {
    const out = await issue();
    expect(out.status).toBe('unchanged');
    const versions = await e.ev.s3.send(
      new ListObjectVersionsCommand({ Bucket: e.vault.bucket, Prefix: out.version.objects[2]?.key }),
    );
    expect(versions.Versions).toHaveLength(1);
  });

  it('writes a second version, keeping the first, when the late activity pass arrives', async () => {
    const { write } = await seedSealedQuarantineLate();
    const late = await write('investigation/activity-late.json', fullInputs().activity?.late?.body);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    await updateQuarantine(e.env.ledger, quarantineId, {
      set: {
        activity: {
          ...rec?.activity,
          late: { status: 'written', at: new Date().toISOString(), objects: [late] },
        },
      },
    });
    const out = await issue();
    expect(out.status).toBe('issued');
    const after = await getQuarantine(e.env.ledger, quarantineId);
    const versions = reportOf(after as NonNullable<typeof after>).versions;
    expect(versions).toHaveLength(2);
    const listed = await e.ev.s3.send(
      new ListObjectVersionsCommand({ Bucket: e.vault.bucket, Prefix: versions[1]?.objects[1]?.key }),
    );
    expect(listed.Versions?.map((v) => v.VersionId).sort()).toEqual(
      versions.map((v) => v.objects[1]?.versionId).sort(),
    );
    const md = await e.ev.s3.send(
      new GetObjectCommand({
        Bucket: e.vault.bucket,
        Key: versions[1]?.objects[1]?.key,
        VersionId: versions[1]?.objects[1]?.versionId,
      }),
    );
    expect(await md.Body?.transformToString()).toContain('activity late: yes');
  });

  it('raises an alarm and leaves out an input whose bytes differ from the recorded SHA-256', async () => {
    // A new version of reach.json under the same key, while the ledger names the first version's hash
    // without its version id (as an older record might): the bytes read are not the ones recorded.
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    const reach = rec?.reach?.objects[0];
    const previous = reportOf(rec as NonNullable<typeof rec>).versions.at(-1);
    expect(await body(previous?.objects[0])).toContain(reach?.sha256);
    await e.ev.s3.send(
      new PutObjectCommand({ Bucket: e.vault.bucket, Key: reach?.key, Body: '{"tampered":true}' }),
    );
    await updateQuarantine(e.env.ledger, quarantineId, {
      set: { reach: { ...rec?.reach, objects: [{ ...reach, versionId: undefined }] } },
    });
    const out = await issue();
    expect(out.status).toBe('issued');
    const after = await getQuarantine(e.env.ledger, quarantineId);
    expect(after?.actions.find((a) => a.step === 'report-input-mismatch')).toMatchObject({
      outcome: 'alarm',
      detail: { detail: expect.stringContaining(`${reach?.key}: SHA-256 is`) },
    });
    const json = await e.ev.s3.send(
      new GetObjectCommand({
        Bucket: e.vault.bucket,
        Key: out.version.objects[0]?.key,
        VersionId: out.version.objects[0]?.versionId,
      }),
    );
    expect(await json.Body?.transformToString()).not.toContain(reach?.sha256);
  });

  it('records a failure and rethrows it, changing nothing else', async () => {
    const before = await getQuarantine(e.env.ledger, quarantineId);
    const broken: RenderReport = () => {
      throw new Error('renderer exploded');
    };
    // Another jurisdiction: the inputs changed, so the step renders (and fails).
    await expect(issue(broken, { ...CONFIG, jurisdictions: ['gdpr'] })).rejects.toThrow(
      'the report was not issued: Error: renderer exploded',
    );
    const after = await getQuarantine(e.env.ledger, quarantineId);
    expect(after?.state).toBe(before?.state);
    expect(reportOf(after as NonNullable<typeof after>).versions).toEqual(
      reportOf(before as NonNullable<typeof before>).versions,
    );
    expect(reportOf(after as NonNullable<typeof after>).lastFailure?.detail).toBe('Error: renderer exploded');
    expect(after?.actions.at(-1)).toMatchObject({ step: 'issue-report', outcome: 'failed' });
  });

  /** The vault writer of the seeded quarantine, without reseeding the ledger record. */
  async function seedSealedQuarantineLate() {
    const { writeSealedObject } = await import('../../lambdas/core/investigation/vault-write');
    const base = `evidence/${fullInputs().record.incidentId}/${quarantineId}/`;
    return {
      write: (name: string, body: unknown) =>
        writeSealedObject(e.ev.s3, cfg, {
          name: name.slice(name.lastIndexOf('/') + 1),
          key: `${base}${name}`,
          body: Buffer.from(JSON.stringify(body)),
          contentType: 'application/json',
        }),
    };
  }
});
