import { startMoto } from '../../local-aws/moto-server';

/**
 * One moto server per Jest worker, so suites running in parallel never reset each other's state.
 * Workers find theirs through MOTO_ENDPOINTS (JEST_WORKER_ID picks one).
 */
export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
  // The SDK warns once per process that Node 20 support ends in 2027; the lockfile pins versions that run here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const count = Math.max(1, config.maxWorkers);
  const servers = await Promise.all(Array.from({ length: count }, () => startMoto()));
  (globalThis as { __MOTO__?: unknown }).__MOTO__ = servers;
  process.env.MOTO_ENDPOINTS = servers.map((s) => s.endpoint).join(',');
}
