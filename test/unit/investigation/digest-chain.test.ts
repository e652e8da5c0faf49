import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectActivity } from '../../../lambdas/core/investigation/activity/collect';
import { validateDigestChain } from '../../../lambdas/core/investigation/activity/digest-chain';
import { LocalTrailSource } from '../../../lambdas/core/investigation/activity/local-source';
import { FINGERPRINT, PUBLIC_KEY, writeDigest } from './digest-fixtures';
import { logKey, PRINCIPAL, record, writeTrail } from './trail-fixtures';

const WINDOW = { since: '2026-11-29T00:00:00Z', until: '2026-11-30T00:00:00Z' };
const W = { since: Date.parse(WINDOW.since), until: Date.parse(WINDOW.until) };
const lookup = (fp: string) => (fp === FINGERPRINT ? PUBLIC_KEY : undefined);
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Three hourly log files, each in a digest, the digests chained. */
function signedTrail() {
  const logs = [10, 11, 12].map((h) => ({
    key: logKey('eu-west-1', `2026-11-29T${h}:05:00Z`, h),
    records: [record({ eventTime: `2026-11-29T${h}:00:00Z` })],
  }));
  const root = writeTrail(Object.fromEntries(logs.map((l) => [l.key, l.records])));
  roots.push(root);
  let prev: ReturnType<typeof writeDigest> | undefined;
  const digests = logs.map((l, i) => {
    prev = writeDigest(root, 'eu-west-1', `2026-11-29T${11 + i}:30:00Z`, { [l.key]: l.records }, prev);
    return prev;
  });
  return { root, logs, digests };
}

describe('Function: validateDigestChain', () => {
  it('validates signatures, log file hashes and links, and names the files covered', async () => {
    // Prepare
    const { root, logs } = signedTrail();
    // Act
    const report = await collectActivity(
      new LocalTrailSource(root),
      { principalId: PRINCIPAL, ...WINDOW },
      {
        validateDigests: (files, window) =>
          validateDigestChain(new LocalTrailSource(root), files, window, lookup),
      },
    );
    // Assess
    expect(report.coverage.digests).toEqual({
      digests: 3,
      valid: 3,
      coveredFiles: logs.map((l) => l.key).sort(),
      uncoveredFiles: [],
      breaks: [],
    });
  });

  it('reports a log file changed after delivery', async () => {
    // Prepare
    const { root, logs } = signedTrail();
    const tampered = logs[1]?.key ?? '';
    writeFileSync(join(root, tampered), gzipSync(JSON.stringify({ Records: [] })));
    // Act
    const cov = await validateDigestChain(
      new LocalTrailSource(root),
      logs.map((l) => l.key),
      W,
      lookup,
    );
    // Assess
    expect(cov.breaks).toEqual([{ key: tampered, problem: expect.stringContaining('SHA-256 differs') }]);
    expect(cov.uncoveredFiles).toEqual([tampered]);
  });

  it('reports a deleted log file and a deleted digest in the middle of the chain', async () => {
    // Prepare
    const { root, logs, digests } = signedTrail();
    unlinkSync(join(root, logs[0]?.key ?? ''));
    unlinkSync(join(root, digests[1]?.key ?? ''));
    // Act
    const cov = await validateDigestChain(new LocalTrailSource(root), [logs[2]?.key ?? ''], W, lookup);
    // Assess
    expect(cov.breaks.map((b) => b.problem)).toEqual([
      expect.stringContaining('previous digest missing'),
      expect.stringContaining('missing: named by digest'),
    ]);
    expect(cov.valid).toBe(2);
  });

  it('rejects a digest whose content or signature was changed, or signed by an unknown key', async () => {
    // Prepare
    const { root, logs, digests } = signedTrail();
    const first = join(root, digests[0]?.key ?? '');
    writeFileSync(`${first}.metadata.json`, JSON.stringify({ signature: 'ab'.repeat(256) }));
    // Act
    const forged = await validateDigestChain(
      new LocalTrailSource(root),
      logs.map((l) => l.key),
      W,
      lookup,
    );
    const unknownKey = await validateDigestChain(new LocalTrailSource(root), [], W, () => undefined);
    // Assess
    expect(forged.breaks).toContainEqual({ key: digests[0]?.key, problem: 'signature does not verify' });
    expect(forged.breaks).toContainEqual({
      key: digests[1]?.key,
      problem: 'previousDigestSignature does not match the previous digest',
    });
    expect(forged.uncoveredFiles).toEqual([logs[0]?.key]);
    expect(unknownKey.valid).toBe(0);
  });
});
