import type { MotoServer } from '../../local-aws/moto-server';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __MOTO__?: MotoServer[] }).__MOTO__ ?? [];
  await Promise.all(servers.map((s) => s.stop()));
}
