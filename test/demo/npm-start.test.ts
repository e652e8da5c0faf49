import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectLegalHoldCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PLANTED_PATH } from '../../demo/demo-account';
import type { DemoSummary } from '../../demo/summary';
import { readFileFromImage } from '../../local-aws/disk-image';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { AS_ON_CALL, AS_REVIEWER, lastJson, runCli } from '../cli/run-cli';
import { checkReportPage } from '../support/report-page-check';

const ROOT = join(__dirname, '..', '..');
const DEMO_TIMEOUT_MS = 480_000;

type KeptSummary = DemoSummary & {
  emulator: { endpoint: string; apiUrl: string; commands: string[] };
  localAws: { iamEnforced: boolean; accessDenied: number };
};

/**
 * Runs `npm start -- --json --keep` as a new user would (from the repository root, no AWS credentials
 * or config in the environment), waits for the summary line, then explores the kept emulator with the
 * CLI the way the printed commands say, and finally stops the demo as a user does: Ctrl+C.
 */
describe('npm start (the local demo)', () => {
  let demo: ChildProcess;
  let stdout = '';
  let stderr = '';
  let summary: KeptSummary;
  let exited: Promise<number | null>;
  const out = mkdtempSync(join(tmpdir(), 'sequester-demo-test-'));
  /**
   * Evidence commands sign with the reviewer role's key (the demo's local AWS enforces its policy),
   * except restore: the reviewer role has no EBS direct API or CreateVolume grant yet, so it runs as
   * the operator. On-call commands go to the demo's API (no IAM on a laptop) with the on-call key.
   */
  const cli = (...args: string[]) =>
    runCli([...args, '--endpoint-url', summary.emulator.endpoint], {
      SEQUESTER_VAULT_BUCKET: summary.evidence.bucket,
      SEQUESTER_LEDGER_TABLE: 'sequester-ledger',
      SEQUESTER_API_URL: summary.emulator.apiUrl,
      ...(args[0] !== 'evidence' ? AS_ON_CALL : args[1] === 'restore' ? {} : AS_REVIEWER),
    });
  const ref = () => `${summary.incidentId}/${summary.instanceId}`;

  beforeAll(async () => {
    demo = spawn('npm', ['start', '--silent', '--', '--json', '--keep'], {
      cwd: ROOT,
      // Its own process group, so Ctrl+C can be delivered to npm and the demo together, as a terminal does.
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'sequester-home-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => demo.once('close', (code) => resolve(code)));
    demo.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      demo.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.trimEnd().split('\n').at(-1)?.startsWith('{"ok"') === true) resolve();
      });
      void exited.then((code) =>
        reject(new Error(`demo exited ${code} before its summary: ${stderr.slice(-2000)}`)),
      );
    });
    summary = lastJson({ code: 0, stdout, stderr }) as KeptSummary;
  }, DEMO_TIMEOUT_MS);

  afterAll(async () => {
    // Only if a failed test left it running: never leave an emulator behind.
    if (demo.exitCode === null && demo.signalCode === null && demo.pid !== undefined) {
      try {
        process.kill(-demo.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('ends with the instance isolated fast, a verified image and the planted file read back identical', () => {
    // Assess
    expect(summary).toMatchObject({
      ok: true,
      state: 'evidence_sealed',
      evidence: { verified: true, problems: [] },
      plantedFile: { path: PLANTED_PATH, matches: true },
    });
    // The handlers ran under IAM enforcement, and nothing they called was refused.
    expect(summary.localAws).toEqual({ iamEnforced: true, accessDenied: 0 });
    expect(summary.networkCutMs).toBeGreaterThan(0);
    expect(summary.networkCutMs).toBeLessThan(30_000);
    expect(summary.evidence.images.map((i) => i.deviceName).sort()).toEqual(['/dev/sdf', '/dev/xvda']);
    for (const img of summary.evidence.images) expect(img.retention?.mode).toBe('COMPLIANCE');
    expect(summary.changes.map((c) => c.step)).toEqual(
      expect.arrayContaining(['network-cut', 'revoke-credentials', 'detach-from-service', 'seal-manifest']),
    );
    expect(stderr).toMatch(/\[7\/8\] read the planted file back/);
    expect(stderr).toMatch(/\[8\/8\] fetch the sealed breach report/);
  });

  it("follows the stolen credentials through the scenario's trail and proves the role reaches nothing now", () => {
    // The trail holds 9 calls of the instance session and its derived session, and 1 of a healthy twin.
    expect(summary.activity).toMatchObject({ status: 'written', events: 9 });
    expect(summary.activity.touched).toBeGreaterThanOrEqual(3);
    // GetCallerIdentity, a GetObject and the AssumeRole from the attacker's address, then the Scan.
    expect(summary.activity.other).toBe(4);
    // The VPC flow log: 3.25 MiB from the web server to the attacker's address before the cut, less
    // than the 7 MiB of S3 reads (4 MiB were read from the attacker's machine directly).
    expect(summary.activity).toMatchObject({ flowBytesOut: 3_407_872, egressCheck: 'read-exceeds-egress' });
    expect(summary.reach).toMatchObject({ status: 'written', storesReachableAfterIsolation: 0 });
    expect(summary.reach.storesReachableBeforeIsolation).toBeGreaterThanOrEqual(1);
  });

  it("writes the sealed breach report's page: timeline, touched data and evidence hashes visible, no request", async () => {
    // Assess: the report the workflow sealed matches the ledger's SHA-256, and its page renders whole.
    expect(summary.report).toMatchObject({ verified: true });
    expect(summary.report.key).toMatch(/report\/report\.html$/);
    const page = await checkReportPage(
      { file: summary.report.htmlPath ?? '' },
      { mustShow: [summary.instanceId], screenshotDir: out },
    );
    expect(page.requests).toEqual([]);
    expect(page.touchedRows).toBeGreaterThanOrEqual(3);
    expect(page.screenshotBytes).toBeGreaterThan(10_000);
  });

  it("keeps the Lambdas' JSON log lines out of the display and in the log file the summary names", () => {
    // Assess: stdout carries the summary line only, stderr the progress only.
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/"service":\s*"sequester-/);
    const logs = readFileSync(summary.lambdaLogFile, 'utf8');
    expect(logs).toMatch(/"service":\s*"sequester-isolate"/);
    expect(logs).toMatch(/"service":\s*"sequester-export-segment"/);
  });

  it('prints sequester commands that point at the kept emulator', () => {
    expect(summary.emulator.commands.join('\n')).toContain(`--endpoint-url ${summary.emulator.endpoint}`);
    expect(summary.emulator.commands).toEqual(
      expect.arrayContaining([expect.stringMatching(/evidence verify/)]),
    );
  });

  it('lists the evidence and shows its manifest and chain of custody', async () => {
    // Act
    const [list, show, human, unknown] = await Promise.all([
      cli('evidence', 'list', '--json'),
      cli('evidence', 'show', ref(), '--json'),
      cli('evidence', 'show', ref()),
      cli('evidence', 'list', '--incident', 'INC-does-not-exist'),
    ]);
    // Assess
    expect(list.code).toBe(0);
    const items = (lastJson(list) as { items: Array<Record<string, unknown>> }).items;
    expect(items).toEqual([
      expect.objectContaining({
        incidentId: summary.incidentId,
        instanceId: summary.instanceId,
        quarantineId: summary.quarantineId,
        volumes: expect.arrayContaining([
          expect.objectContaining({ sizeGiB: 1, retentionMode: 'COMPLIANCE', legalHold: false }),
        ]),
      }),
    ]);
    expect(show.code).toBe(0);
    expect(lastJson(show)).toMatchObject({
      manifestKey: summary.evidence.manifestKey,
      manifest: { quarantineId: summary.quarantineId },
    });
    expect(human.stdout).toMatch(/chain of custody/);
    expect(human.stdout).toMatch(/network-cut\s+ok/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^sequester: error: unknown incident INC-does-not-exist/);
  });

  it('verifies every image with exit 0', async () => {
    // Act
    const run = await cli('evidence', 'verify', `${summary.incidentId}/${summary.quarantineId}`, '--json');
    // Assess
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({ ok: true, problems: [] });
  }, 240_000);

  it('downloads the images checked against the manifest, resumes, and the planted file reads back', async () => {
    // Act
    const first = await cli('evidence', 'download', ref(), '--out', out, '--sparse', '--json');
    const again = await cli('evidence', 'download', ref(), '--out', out, '--sparse', '--json');
    // Assess
    expect(first.code).toBe(0);
    const downloaded = lastJson(first) as {
      files: Array<{ path: string; key: string; partsDownloaded: number; sha256: string }>;
      custody: { actor: string };
    };
    const files = downloaded.files;
    expect(files).toHaveLength(2);
    for (const f of files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(downloaded.custody.actor).toMatch(/:assumed-role\/sequester-reviewer\/reviewer$/);
    expect(files.every((f) => f.partsDownloaded > 0)).toBe(true);
    const resumed = (
      lastJson(again) as { files: Array<{ partsDownloaded: number; partsAlreadyPresent: number }> }
    ).files;
    expect(resumed.every((f) => f.partsDownloaded === 0 && f.partsAlreadyPresent > 0)).toBe(true);
    const root = summary.evidence.images.find((i) => i.deviceName === '/dev/xvda');
    const rootFile = files.find((f) => f.key === root?.key)?.path ?? '';
    expect(readFileFromImage(rootFile, PLANTED_PATH).length).toBe(
      summary.plantedFile.matches ? (summary.plantedFile as { bytes: number }).bytes : -1,
    );
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toContain(summary.quarantineId);
  }, 240_000);

  it('puts the evidence on legal hold and records who did it in the ledger', async () => {
    // Act
    const on = await cli(
      'evidence',
      'legal-hold',
      ref(),
      'on',
      '--reason',
      'litigation hold: case 42',
      '--json',
    );
    const list = await cli('evidence', 'list', '--json');
    const status = await cli('status', summary.quarantineId, '--json');
    // Assess
    expect(on.code).toBe(0);
    expect(lastJson(on)).toMatchObject({ quarantineId: summary.quarantineId, legalHold: 'on' });
    const vols = (lastJson(list) as { items: Array<{ volumes: Array<{ legalHold: boolean }> }> }).items[0]
      ?.volumes;
    expect(vols?.every((v) => v.legalHold)).toBe(true);
    const timeline = (lastJson(status) as { timeline: Array<{ step: string; detail?: { status?: string } }> })
      .timeline;
    expect(timeline.at(-1)).toMatchObject({ step: 'legal-hold', detail: { status: 'on' } });
    // The breach report (written after sealing, listed only in the ledger) is held too.
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: summary.emulator.endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    const hold = await s3.send(
      new GetObjectLegalHoldCommand({
        Bucket: summary.evidence.bucket,
        Key: summary.report.key ?? '',
        VersionId: summary.report.versionId ?? undefined,
      }),
    );
    expect(hold.LegalHold?.Status).toBe('ON');
  });

  it('restores the images into tagged snapshots and volumes with the EBS direct APIs', async () => {
    // Act
    const run = await cli('evidence', 'restore', ref(), '--az', 'eu-west-1a', '--json');
    // Assess
    expect(run.code).toBe(0);
    const restored = (
      lastJson(run) as { restored: Array<{ snapshotId: string; volumeId: string; blocksWritten: number }> }
    ).restored;
    expect(restored).toHaveLength(2);
    for (const r of restored) {
      expect(r.snapshotId).toMatch(/^snap-/);
      expect(r.volumeId).toMatch(/^vol-/);
      expect(r.blocksWritten).toBeGreaterThan(0);
    }
  });

  it('rejects an evidence reference naming no instance with exit 2', async () => {
    const run = await cli('evidence', 'show', `${summary.incidentId}/i-0000000000000000f`);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `sequester: error: incident ${summary.incidentId} has no sealed evidence of instance i-0000000000000000f\n`,
    );
  });

  it('fails verification with exit 1 naming the object when the manifest points at a missing image version', async () => {
    // Prepare: a second manifest in the vault whose only image names a version that does not exist
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: summary.emulator.endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    const show = await cli('evidence', 'show', ref(), '--json');
    const manifest = (
      lastJson(show) as { manifest: { volumes: Array<{ images: Array<{ versionId: string }> }> } }
    ).manifest;
    const forgedId = 'q-00000000-0000-4000-8000-00000000f00d';
    const volume = manifest.volumes[0];
    const image = volume?.images[0];
    if (volume === undefined || image === undefined) throw new Error('manifest has no image');
    const forged = {
      ...manifest,
      quarantineId: forgedId,
      volumes: [{ ...volume, images: [{ ...image, versionId: 'no-such-version' }] }],
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: summary.evidence.bucket,
        Key: `evidence/${summary.incidentId}/${forgedId}/manifest.json`,
        Body: JSON.stringify(forged),
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    // Act
    const run = await cli('evidence', 'verify', `${summary.incidentId}/${forgedId}`);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL /m);
    expect(run.stderr).toMatch(
      /sequester: error: verification failed: .*version no-such-version\): missing from the vault/,
    );
  });

  it('stops the emulator it started on Ctrl+C', async () => {
    // Act
    if (demo.pid !== undefined) process.kill(-demo.pid, 'SIGINT');
    await exited;
    // Assess
    await expect(fetch(`${summary.emulator.endpoint}/moto-api/data.json`)).rejects.toThrow();
  });
});
