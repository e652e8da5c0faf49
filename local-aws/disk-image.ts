import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** e2fsprogs lives in /usr/sbin on Debian, which is not on every user's PATH. */
const env = () => ({ ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` });

function run(cmd: string, args: string[]): Buffer {
  const res = spawnSync(cmd, args, { env: env(), maxBuffer: 256 * 1024 * 1024 });
  if (res.error !== undefined)
    throw new Error(`${cmd} could not run (install e2fsprogs): ${res.error.message}`);
  if (res.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}: ${res.stderr.toString()}`);
  return res.stdout;
}

/**
 * Builds a small ext4 filesystem image holding `files` (path -> content) with `mkfs.ext4 -d`, as the
 * data of a test instance's volume. Returns the image path.
 */
export function buildExt4Image(files: Readonly<Record<string, string | Uint8Array>>, sizeMiB = 16): string {
  const dir = mkdtempSync(join(tmpdir(), 'sequester-disk-'));
  const root = join(dir, 'root');
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  mkdirSync(root, { recursive: true });
  const image = join(dir, 'disk.img');
  run('mkfs.ext4', ['-q', '-F', '-t', 'ext4', '-b', '4096', '-d', root, image, `${sizeMiB}M`]);
  return image;
}

/** Reads one file out of an ext4 image with `debugfs -R "cat <path>"`, as a forensic analyst would. */
export function readFileFromImage(image: string, path: string): Buffer {
  return run('debugfs', ['-R', `cat ${path}`, image]);
}
