import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * moto's server as the local AWS endpoint: one process on a free loopback port, speaking the real AWS
 * wire protocols so the real SDK clients, serializers and waiters run against it.
 *
 * The command is `moto_server` from PATH, or SEQUESTER_MOTO_CMD (for example the Debian-unpacked copy
 * that .ci/run prepares). A missing moto is an error, never a reason to skip.
 */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export class MotoMissingError extends Error {
  public constructor(detail: string) {
    super(
      `moto_server is not available (${detail}). Install it with: pip install 'moto[server]' ` +
        '(or run .ci/run, which installs it), or set SEQUESTER_MOTO_CMD to the command that starts it.',
    );
    this.name = 'MotoMissingError';
  }
}

export function motoCommand(): string[] {
  const custom = process.env.SEQUESTER_MOTO_CMD;
  if (custom !== undefined && custom.trim() !== '') return custom.trim().split(/\s+/);
  return ['moto_server'];
}

/**
 * The moto command with Sequester's test-only moto extension loaded (local-aws/ebs-bridge: EBS direct
 * APIs over EC2 snapshots, and the S3 checksum / Object Lock behaviours moto 5.2.1 lacks). The
 * extension is a Python launcher, so it needs the interpreter that has moto: the `python` token of
 * SEQUESTER_MOTO_CMD (its moto_server script is swapped for the launcher), or `python3` from PATH
 * when it imports moto. Anything else runs moto unextended.
 */
export function motoLaunchCommand(): string[] {
  const base = motoCommand();
  const launcher = join(__dirname, 'ebs-bridge', 'launcher.py');
  const py = base.findIndex((t) => /(^|\/)python[0-9.]*$/.test(t));
  if (py >= 0 && base[py + 1] !== undefined)
    return [...base.slice(0, py + 1), launcher, ...base.slice(py + 2)];
  if (base.length === 1 && base[0] === 'moto_server') {
    const probe = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
    if (probe.status === 0) return ['python3', launcher];
  }
  return base;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(
  opts: { port?: number; extraEnv?: Record<string, string> } = {},
): Promise<MotoServer> {
  const [cmd, ...args] = motoLaunchCommand();
  if (cmd === undefined) throw new MotoMissingError('empty SEQUESTER_MOTO_CMD');
  const probe = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  if (probe.status !== 0) throw new MotoMissingError(`${cmd} not found on PATH`);
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(cmd, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...opts.extraEnv },
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new MotoMissingError(`moto_server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new MotoMissingError(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Empties every moto backend: each test suite starts from a clean account. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
}

/** Fake credentials: moto accepts any, and the SDK must never find real ones during tests. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
