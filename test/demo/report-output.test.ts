import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoReport } from '../../demo/report-output';
import { sha256b64 } from '../../lambdas/core/evidence/checksums';
import { DEFAULT_EVIDENCE_CONFIG } from '../../lambdas/core/evidence/config';
import { getQuarantine, updateQuarantine } from '../../lambdas/core/ledger/ledger';
import { issueReport } from '../../lambdas/core/report/issue';
import { renderReport } from '../../lambdas/core/report/render-report';
import { reportOf } from '../../lambdas/core/report/report-record';
import { type EvidenceEnv, freshEvidenceEnv } from '../support/evidence-env';
import { fullInputs, seedSealedQuarantine } from '../support/sealed-quarantine';

const Q = fullInputs().record.quarantineId;

describe('Function: writeDemoReport', () => {
  let e: EvidenceEnv;
  let logFile: string;
  const demo = () =>
    writeDemoReport({ s3: e.ev.s3, ledger: e.env.ledger, vaultBucket: e.vault.bucket }, Q, logFile);

  beforeAll(async () => {
    e = await freshEvidenceEnv('demo-report-vault');
    await seedSealedQuarantine(e);
    const dir = mkdtempSync(join(tmpdir(), 'sequester-demo-'));
    logFile = join(dir, 'lambdas-2026-11-30T08-00-00-000Z.log');
    writeFileSync(logFile, '');
  }, 120_000);

  it('says no report was issued before the report step ran', async () => {
    expect(await demo()).toEqual({
      key: null,
      versionId: null,
      sha256: null,
      verified: false,
      htmlPath: null,
      detail: 'no report was issued',
    });
  });

  it('writes the verified HTML next to the log file and returns its key, version and SHA-256', async () => {
    // Prepare
    const cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: e.vault.bucket, retentionDays: 1 };
    const issued = await issueReport(
      e.ev.s3,
      e.env.ledger,
      Q,
      cfg,
      { organisation: 'Demo', jurisdictions: ['gdpr'] },
      renderReport,
    );
    const html = issued.version.objects.find((o) => o.name === 'report.html');
    // Act
    const out = await demo();
    // Assess
    expect(out).toEqual({
      key: html?.key,
      versionId: html?.versionId,
      sha256: html?.sha256,
      verified: true,
      htmlPath: join(logFile, '..', `report-${Q}.html`),
    });
    expect(sha256b64(readFileSync(out.htmlPath ?? ''))).toBe(html?.sha256);
  });

  it('writes nothing and reports verified false when the stored report does not match the ledger', async () => {
    const rec = await getQuarantine(e.env.ledger, Q);
    const state = reportOf(rec as NonNullable<typeof rec>);
    const forged = {
      versions: state.versions.map((v) => ({
        ...v,
        objects: v.objects.map((o) => ({ ...o, sha256: sha256b64(Buffer.from('forged')) })),
      })),
    };
    await updateQuarantine(e.env.ledger, Q, { set: { report: forged } });
    const other = join(mkdtempSync(join(tmpdir(), 'sequester-demo-')), 'lambdas.log');
    const out = await writeDemoReport(
      { s3: e.ev.s3, ledger: e.env.ledger, vaultBucket: e.vault.bucket },
      Q,
      other,
    );
    expect(out).toMatchObject({
      verified: false,
      htmlPath: null,
      detail: expect.stringContaining('SHA-256 is'),
    });
    expect(existsSync(join(other, '..', `report-${Q}.html`))).toBe(false);
  });
});
