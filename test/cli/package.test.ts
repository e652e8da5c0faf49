import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pkg from '../../package.json';
import lock from '../../package-lock.json';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const FINDING = join(ROOT, 'demo', 'fixtures', 'guardduty-backdoor-finding.json');
const INSTALL_TIMEOUT_MS = 300_000;

type LockEntry = { dev?: boolean; link?: boolean };

/**
 * A project whose only dependency is the packed tarball, locked to the versions of this repository's
 * package-lock.json (its production entries only). `npm ci --offline` then installs from the npm cache
 * that `npm ci` of this repository filled: tarballs are found by their integrity, and no registry
 * metadata is needed (a global install of the tarball would ask the registry to resolve versions).
 */
function lockedProject(dir: string, tarball: string): void {
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { dependencies: { sequester: spec } },
    'node_modules/sequester': {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages as Record<string, LockEntry>)) {
    if (path !== '' && entry.dev !== true && entry.link !== true) packages[path] = entry;
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, dependencies: { sequester: spec } }),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, requires: true, packages }),
  );
}

/**
 * `npm pack` (which builds the CLI through `prepare`), then an install of the tarball with production
 * dependencies only, offline, into a temporary prefix: what an on-call engineer installs, without the
 * repository, TypeScript or any devDependency.
 */
describe('the packed sequester package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sequester-pack-'));
  const prefix = join(dir, 'prefix');
  const bin = join(prefix, 'node_modules', '.bin', 'sequester');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, AWS_REGION: 'eu-west-1' };
  let packed: string[] = [];

  beforeAll(async () => {
    const out = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env });
    // `prepare` prints the build's line before npm's JSON.
    const [info] = JSON.parse(out.stdout.slice(out.stdout.search(/^\[/m))) as [
      { filename: string; files: { path: string }[] },
    ];
    packed = info.files.map((f) => f.path);
    const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? info.filename);
    mkdirSync(prefix);
    lockedProject(prefix, tarball);
    await run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: prefix, env });
  }, INSTALL_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the launcher and the built CLI with its source map, and no TypeScript', () => {
    expect(packed).toEqual(
      expect.arrayContaining(['bin/sequester.js', 'dist/cli.js', 'dist/cli.js.map', 'package.json']),
    );
    expect(packed.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('prints the help of every command from the installed package', async () => {
    // Act
    const help = await run(bin, ['--help'], { env });
    // Assess
    for (const command of ['quarantine', 'status', 'evidence', 'intake', 'activity', 'iam', 'reach'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('decides a GuardDuty finding from the installed package as the intake Lambda would', async () => {
    // Act
    const intake = await run(bin, ['intake', '--event', FINDING, '--json'], { env });
    // Assess
    expect(JSON.parse(intake.stdout)).toMatchObject({ action: 'quarantine', reason: 'qualifies' });
  });
});
