import { createEvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_EVIDENCE_CONFIG, GIB } from '../../lambdas/core/evidence/config';
import { segmentOf } from '../../lambdas/core/evidence/evidence-record';
import { MAX_SEGMENTS } from '../../lambdas/core/evidence/plan-export';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, REGION } from '../support/moto';

/** Step Functions' limit on a state's input and output. https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
const STATE_PAYLOAD_LIMIT = 256 * 1024;

describe('plan-export for a database server with four 4 TiB volumes, against moto', () => {
  it('returns segment references that fit the workflow state and cover every part once, in bounded parts', async () => {
    // Arrange: an isolated instance, and snapshots of four 4 TiB volumes (plan-export reads only sizes).
    const env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    const ev = createEvidenceClients(opts);
    const vault = await createVault(ev.s3, opts, 'large-volumes-vault');
    Object.assign(process.env, {
      AWS_REGION: REGION,
      LEDGER_TABLE: env.ledger.tableName,
      VAULT_BUCKET: vault.bucket,
      RETENTION_DAYS: '1',
      AWS_ENDPOINT_URL: env.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const target = await launchDiskInstance(ev.ec2, { cidr: '10.60.0.0/16' });
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: target.instanceId, region: REGION },
        reason: 'test',
        incidentId: 'INC-DB',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    if (out.status !== 'isolated') throw new Error(out.status);
    const snapshots = ['a', 'b', 'c', 'd'].map((x) => ({
      volumeId: `vol-0${x}${x}${x}${x}${x}${x}${x}${x}`,
      snapshotId: `snap-0${x}${x}${x}${x}${x}${x}${x}${x}`,
      sizeGiB: 4096,
      deviceName: `/dev/sd${x}`,
    }));
    const plan = (await import('../../lambdas/handlers/plan-export')).handler;

    // Act
    const state = await plan({ quarantineId: out.quarantineId, snapshots });

    // Assert: the Map's input fits the state limit, with a bounded number of items.
    expect(JSON.stringify(state).length).toBeLessThan(STATE_PAYLOAD_LIMIT / 4);
    const record = await getQuarantine(env.ledger, out.quarantineId);
    if (record === undefined) throw new Error('no record');
    const uploads = (record.evidence?.exports as unknown[] | undefined)?.length ?? 0;
    expect(uploads).toBe(4 * 14); // 4 TiB at 10,000 parts of 32 MiB per object: 14 pieces per volume
    expect(state.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS + uploads);
    // Every part of every upload is in exactly one segment, and no part is bigger than a worker's budget.
    const covered = new Map<number, number>();
    for (const ref of state.segments) {
      const seg = segmentOf(record, ref);
      expect(seg.partSize).toBeLessThanOrEqual(DEFAULT_EVIDENCE_CONFIG.memoryBudgetBytes);
      expect(seg.firstPart).toBe((covered.get(ref.image) ?? 0) + 1);
      covered.set(ref.image, seg.lastPart);
    }
    const exports = record.evidence?.exports as { partCount: number; length: number }[];
    expect(exports.map((_e, i) => covered.get(i))).toEqual(exports.map((e) => e.partCount));
    expect(exports.reduce((n, e) => n + e.length, 0)).toBe(4 * 4096 * GIB);
  }, 120_000);
});
