import { randomBytes } from 'node:crypto';
import {
  findAnchors,
  inPlaceFinder,
  scannableMemory,
} from '../../../../lambdas/core/investigation/secrets/anchor-simd';
import { findAnchorsPortable } from '../../../../lambdas/core/investigation/secrets/anchors';
import { boundaryBytes, EDGE, scanBytes } from '../../../../lambdas/core/investigation/secrets/secret-scan';
import { credentialsFile, PLANTED, pemFile, SECRET_VALUES } from './planted-secrets';

const scanAll = (bytes: Uint8Array, limit = 100) =>
  scanBytes(bytes, { volumeId: 'vol-1', base: 1000, from: 0, to: bytes.length, limit });

function disk(size: number, plants: ReadonlyArray<[number, string]>): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, s] of plants) b.write(s, at, 'latin1');
  return b;
}

describe('Function: scanBytes', () => {
  it('finds each credential format with its volume offset and kind', () => {
    // Prepare
    const bytes = disk(64 * 1024, [
      [100, credentialsFile()],
      [5000, pemFile()],
      [9000, `token=${PLANTED.github}\n`],
      [12000, `GITLAB=${PLANTED.gitlab};`],
      [15000, `"${PLANTED.slack}"`],
      [20000, `Authorization: Bearer ${PLANTED.jwt}\n`],
    ]);
    // Act
    const r = scanAll(bytes);
    // Assess
    expect(r.findings.map((f) => [f.offset, f.kind])).toEqual([
      [1000 + 100 + credentialsFile().indexOf('AKIA'), 'aws-access-key'],
      [1000 + 5000, 'private-key'],
      [1000 + 9006, 'github-token'],
      [1000 + 12007, 'gitlab-token'],
      [1000 + 15001, 'slack-token'],
      [1000 + 20022, 'jwt'],
    ]);
    expect(r.findings[0]).toMatchObject({ volumeId: 'vol-1', accessKeyId: PLANTED.awsKeyId });
  });

  it('never puts a secret access key, private key body or token in a finding', () => {
    const bytes = disk(32 * 1024, [
      [10, credentialsFile()],
      [2000, pemFile()],
      [6000, ` ${PLANTED.github} ${PLANTED.gitlab} ${PLANTED.slack} ${PLANTED.jwt} `],
    ]);
    const text = JSON.stringify(scanAll(bytes).findings);
    expect(scanAll(bytes).findings).toHaveLength(6);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
    // Not even a long piece of one.
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret.slice(6, 18));
  });

  it('reports an AWS key id only with a 40-character secret near it, of mixed case', () => {
    const hexNear = `${PLANTED.awsKeyId} ${'0123456789abcdef'.repeat(2)}01234567`;
    const bytes = disk(16 * 1024, [
      [100, `log: key ${PLANTED.awsKeyId} used\n`],
      [4000, hexNear],
      [8000, `${PLANTED.awsKeyId}${' '.repeat(400)}${PLANTED.awsSecret}`],
    ]);
    expect(scanAll(bytes).findings).toEqual([]);
  });

  it('ignores formats embedded in longer words', () => {
    const bytes = disk(4096, [
      [10, `x${PLANTED.github}`],
      [200, `${PLANTED.github}z`],
    ]);
    expect(scanAll(bytes).findings).toEqual([]);
  });

  it('keeps at most `limit` findings and counts the others', () => {
    const plants = Array.from({ length: 7 }, (_, i) => [i * 100, ` ${PLANTED.github} `] as [number, string]);
    const r = scanAll(disk(4096, plants), 5);
    expect(r.findings).toHaveLength(5);
    expect(r.dropped).toBe(2);
  });
});

describe('Function: boundaryBytes', () => {
  it('finds a token straddling a boundary once, between the two sides', () => {
    // Prepare: the token's first 10 bytes end the left part, the rest starts the right one.
    const token = ` ${PLANTED.gitlab} `;
    const left = disk(EDGE * 2, [[EDGE * 2 - 10, token.slice(0, 10)]]);
    const right = disk(EDGE * 2, [[0, token.slice(10)]]);
    const b = boundaryBytes(1 << 20, left, right);
    // Act
    const r = scanBytes(b.bytes, { volumeId: 'vol-1', ...b, limit: 10 });
    // Assess
    expect(r.findings.map((f) => [f.offset, f.kind])).toEqual([[(1 << 20) - 9, 'gitlab-token']]);
  });
});

describe('Function: findAnchors', () => {
  it('gives the same candidates as the portable pass, at window edges and the last bytes too', () => {
    const bytes = randomBytes(300 * 1024);
    const anchors = ['AKI', 'ASI', 'ghp', 'git', 'glp', 'xox', 'eyJ', '---'];
    // Spots at the module's 128 KiB window edges (an anchor straddling one), written last.
    for (let i = 0; i < 400; i += 1)
      bytes.write(anchors[i % 8] ?? '', (i * 7919) % (bytes.length - 3), 'latin1');
    const spots = [0, 15, 31, 131_070, 131_073, 262_143, 300 * 1024 - 3];
    spots.forEach((at, i) => {
      bytes.write(anchors[i % anchors.length] ?? '', at, 'latin1');
    });
    for (const [from, to] of [
      [0, bytes.length],
      [17, 262_144],
      [131_071, 131_075],
    ] as const) {
      expect(findAnchors(bytes, from, to)).toEqual(findAnchorsPortable(bytes, from, to));
    }
    expect(findAnchors(bytes, 0, bytes.length)).toEqual(expect.arrayContaining(spots));
  });
});

describe('Function: inPlaceFinder', () => {
  it('gives the candidates of the portable pass in a view of a part buffer, ignoring bytes past the view', () => {
    // Prepare: a reused buffer whose bytes past the view still hold an older part's data.
    const { sab, memory } = scannableMemory(256 * 1024);
    if (memory === undefined) throw new Error('no shared WebAssembly memory in this runtime');
    const whole = Buffer.from(sab, 0, 256 * 1024);
    whole.set(randomBytes(whole.length));
    const anchors = ['AKI', 'ASI', 'ghp', 'git', 'glp', 'xox', 'eyJ', '---'];
    for (let i = 0; i < 500; i += 1)
      whole.write(anchors[i % 8] ?? '', (i * 7919) % (whole.length - 3), 'latin1');
    const view = whole.subarray(1000, 200_000);
    // Anchors cut by the view's end, at its start, and in every lane of a 32-byte round.
    whole.write('gh', 199_990, 'latin1');
    whole.write('p', 199_992, 'latin1');
    whole.write('eyJ', 1000, 'latin1');
    for (let lane = 0; lane < 32; lane += 1) whole.write('-----BEGIN', 100_000 + lane * 37, 'latin1');
    // A PEM anchor whose B would lie past the view's end.
    whole.write('-----B', 199_996, 'latin1');
    const find = inPlaceFinder(memory);
    // Act / Assess
    for (const [from, to] of [
      [0, view.length],
      [1, 99_001],
      [view.length - 40, view.length + 10],
      [view.length - 12, view.length],
    ] as const) {
      expect(find?.(view, from, to)).toEqual(findAnchorsPortable(view, from, to));
    }
    expect(find?.(view, 0, view.length)).toEqual(expect.arrayContaining([0, 99_000 + 37, view.length - 10]));
    expect(find?.(view, 0, view.length)).not.toContain(view.length - 4);
  });

  it('takes a run of dashes for no candidate, and the PEM header after it for one', () => {
    const { sab, memory } = scannableMemory(64 * 1024);
    if (memory === undefined) throw new Error('no shared WebAssembly memory in this runtime');
    const bytes = Buffer.from(sab, 0, 64 * 1024).fill('-');
    bytes.write('\n-----BEGIN OPENSSH PRIVATE KEY-----\n', 40_000, 'latin1');
    expect(inPlaceFinder(memory)?.(bytes, 0, bytes.length)).toEqual([40_001]);
    expect(findAnchorsPortable(bytes, 0, bytes.length)).toEqual([40_001]);
  });
});
