import { createEvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, REGION } from '../support/moto';

describe('evidence task handlers, chained as the workflow runs them, against moto', () => {
  it('passes each task output to the next and seals the evidence', async () => {
    // Prepare
    const env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    const ev = createEvidenceClients(opts);
    const vault = await createVault(ev.s3, opts, 'handler-vault');
    Object.assign(process.env, {
      AWS_REGION: REGION,
      LEDGER_TABLE: env.ledger.tableName,
      VAULT_BUCKET: vault.bucket,
      RETENTION_DAYS: '1',
      SEGMENT_PARTS: '48',
      AWS_ENDPOINT_URL: env.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const target = await launchDiskInstance(ev.ec2, { cidr: '10.50.0.0/16' });
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: target.instanceId, region: REGION },
        reason: 'test',
        incidentId: 'INC-9',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    if (out.status !== 'isolated') throw new Error(out.status);
    const tasks = {
      snapshot: (await import('../../lambdas/handlers/snapshot')).handler,
      poll: (await import('../../lambdas/handlers/poll-snapshots')).handler,
      plan: (await import('../../lambdas/handlers/plan-export')).handler,
      segment: (await import('../../lambdas/handlers/export-segment')).handler,
      complete: (await import('../../lambdas/handlers/complete-export')).handler,
      seal: (await import('../../lambdas/handlers/seal-manifest')).handler,
    };
    // Act
    const s1 = await tasks.snapshot({ quarantineId: out.quarantineId });
    const s2 = await tasks.poll(s1);
    const s3 = await tasks.plan(s2);
    const results = await Promise.all(
      // As the Map state's ItemSelector does: each item plus the execution's quarantine id.
      s3.segments.map((seg) =>
        tasks.segment({ quarantineId: s3.quarantineId, ...JSON.parse(JSON.stringify(seg)) }),
      ),
    );
    const s4 = await tasks.complete(s3);
    const s5 = await tasks.seal(s4);
    // Assess
    expect(s2.allCompleted).toBe(true);
    expect(s3.segments.map((s) => [s.firstPart, s.lastPart])).toEqual([
      [1, 48],
      [49, 96],
      [97, 128],
    ]);
    expect(results.reduce((n, r) => n + r.zeroParts, 0)).toBe(128);
    expect(s4).not.toHaveProperty('segments');
    expect(s4.images).toHaveLength(1);
    expect(s5.manifestKey).toMatch(/^evidence\/INC-9\/q-[0-9a-f-]+\/manifest\.json$/);
    expect((await getQuarantine(env.ledger, out.quarantineId))?.state).toBe('evidence_sealed');
  }, 240_000);
});
