import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256b64 } from '../../lambdas/core/evidence/checksums';
import { getQuarantine, updateQuarantine } from '../../lambdas/core/ledger/ledger';
import { type ReportState, reportOf } from '../../lambdas/core/report/report-record';
import { localKey, reviewerCredentials } from '../../local-aws/iam/local-roles';
import { withCredentials } from '../../local-aws/iam/role-credentials';
import { type EvidenceEnv, freshEvidenceEnv, setEvidenceHandlerEnv } from '../support/evidence-env';
import { fullInputs, seedSealedQuarantine } from '../support/sealed-quarantine';
import { lastJson, runCli } from './run-cli';

const f = fullInputs();
const Q = f.record.quarantineId;
const REF = `${f.record.incidentId}/${f.record.instance.instanceId}`;

/**
 * The report as the workflow issues it (the issue-report task with its own role and the real
 * renderers, twice: after sealing and after the late activity pass), fetched by a reviewer.
 */
describe('sequester report, with reviewer credentials', () => {
  let e: EvidenceEnv;
  let state: ReportState;
  const cli = (...args: string[]) => {
    const creds = reviewerCredentials();
    return runCli(['report', ...args, '--endpoint-url', e.env.endpoint], {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      SEQUESTER_VAULT_BUCKET: e.vault.bucket,
      SEQUESTER_LEDGER_TABLE: e.env.ledger.tableName,
    });
  };

  beforeAll(async () => {
    e = await freshEvidenceEnv('report-cli-vault');
    setEvidenceHandlerEnv(e, { REPORT_ORGANISATION: 'Example Corp', REPORT_JURISDICTIONS: 'gdpr,nis2' });
    const { write } = await seedSealedQuarantine(e, { late: false });
    const { handler } = await import('../../lambdas/handlers/issue-report');
    const issue = (pass: 'initial' | 'late') =>
      withCredentials(localKey('lambda/issue-report'), () => handler({ quarantineId: Q, pass }));
    await issue('initial');
    const late = await write('investigation/activity-late.json', f.activity?.late?.body);
    const rec = await getQuarantine(e.env.ledger, Q);
    await updateQuarantine(e.env.ledger, Q, {
      set: {
        activity: { ...rec?.activity, late: { status: 'written', at: rec?.updatedAt, objects: [late] } },
      },
    });
    await issue('late');
    const after = await getQuarantine(e.env.ledger, Q);
    state = reportOf(after as NonNullable<typeof after>);
  }, 120_000);

  it('the workflow task issued two versions, the second from the late activity pass', () => {
    expect(state.versions).toHaveLength(2);
    expect(e.env.enforcer.denials).toEqual([]);
  });

  it('writes the latest HTML to --out after checking it against the ledger', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'sequester-report-')), 'report.html');
    const html = state.versions[1]?.objects.find((o) => o.name === 'report.html');
    // Act
    const run = await cli(REF, '--out', out, '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(sha256b64(readFileSync(out))).toBe(html?.sha256);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(lastJson(run)).toMatchObject({
      quarantineId: Q,
      key: html?.key,
      versionId: html?.versionId,
      sha256: html?.sha256,
      version: 2,
      versions: 2,
      verified: true,
      out,
    });
  });

  it('prints the named earlier version in the asked format', async () => {
    const v1 = state.versions[0];
    const md = v1?.objects.find((o) => o.name === 'report.md');
    const run = await cli(REF, '--format', 'md', '--version', md?.versionId ?? '');
    expect(run.code).toBe(0);
    expect(sha256b64(Buffer.from(run.stdout))).toBe(md?.sha256);
    expect(run.stderr).toContain(`(1 of 2, issued ${v1?.at})`);
  });

  it('exits 1 with one line when the stored report does not match the ledger', async () => {
    const rec = await getQuarantine(e.env.ledger, Q);
    const current = reportOf(rec as NonNullable<typeof rec>);
    const [json, ...rest] = current.versions[1]?.objects ?? [];
    const forged = {
      ...current,
      versions: [
        current.versions[0],
        { ...current.versions[1], objects: [{ ...json, sha256: sha256b64(Buffer.from('other')) }, ...rest] },
      ],
    };
    await updateQuarantine(e.env.ledger, Q, { set: { report: forged } });
    try {
      const run = await cli(REF, '--format', 'json');
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        `sequester: error: ${json?.key} (version ${json?.versionId}) does not match the ledger: its SHA-256 is ${json?.sha256}, the ledger recorded ${sha256b64(Buffer.from('other'))}`,
      ]);
    } finally {
      await updateQuarantine(e.env.ledger, Q, { set: { report: current } });
    }
  });

  it('exits 2 for a version id the ledger does not know', async () => {
    const run = await cli(REF, '--version', 'no-such-version');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no report version of .* has S3 version no-such-version/);
  });
});
