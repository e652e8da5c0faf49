import { type ClientOptions, createEvidenceClients, type EvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import type { LocalEnforcementOptions } from '../../local-aws/iam/local-enforcement';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, type MotoEnv, REGION, setHandlerEnv } from './moto';

export interface EvidenceEnv {
  readonly env: MotoEnv;
  readonly opts: ClientOptions;
  readonly ev: EvidenceClients;
  readonly vault: { readonly bucket: string };
}

/** A fresh moto with the ledger table and an evidence vault (Object Lock on unless `locked` is false). */
export async function freshEvidenceEnv(vaultName?: string, locked = true): Promise<EvidenceEnv> {
  const env = await freshMoto();
  const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
  const ev = createEvidenceClients(opts);
  const vault = await createVault(ev.s3, opts, vaultName, locked);
  return { env, opts, ev, vault };
}

/** The environment the evidence handlers read (as the stack sets it), pointed at this moto and vault. */
export function setEvidenceHandlerEnv(
  e: EvidenceEnv,
  extra: Record<string, string> = {},
  o: LocalEnforcementOptions = {},
): void {
  setHandlerEnv(e.env, { VAULT_BUCKET: e.vault.bucket, RETENTION_DAYS: '1', ...extra }, o);
}

/** Quarantines an instance as on-call would, and returns its quarantine id once isolated. */
export async function isolateForEvidence(
  env: MotoEnv,
  instanceId: string,
  incidentId: string,
  reason = 'test',
): Promise<string> {
  const out = await quarantine(
    env.clients,
    env.ledger,
    {
      instance: { instanceId, region: REGION },
      reason,
      incidentId,
      trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
    },
    DEFAULT_ENGINE_CONFIG,
  );
  if (out.status !== 'isolated') throw new Error(`quarantine ended ${out.status}`);
  return out.quarantineId;
}
