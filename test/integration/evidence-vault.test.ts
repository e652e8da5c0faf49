import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { createEvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_EVIDENCE_CONFIG } from '../../lambdas/core/evidence/config';
import { planExport } from '../../lambdas/core/evidence/plan-export';
import { takeSnapshots } from '../../lambdas/core/evidence/snapshot';
import { DEFAULT_ENGINE_CONFIG } from '../../lambdas/core/isolation/engine-config';
import { quarantine } from '../../lambdas/core/isolation/isolate';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, REGION } from '../support/moto';

describe('evidence vault precheck against moto', () => {
  it('refuses a vault without Object Lock and writes nothing there', async () => {
    // Prepare
    const env = await freshMoto();
    const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    const ev = createEvidenceClients(opts);
    const vault = await createVault(ev.s3, opts, 'unlocked-vault', false);
    const cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: vault.bucket };
    const target = await launchDiskInstance(ev.ec2, { cidr: '10.40.0.0/16' });
    const out = await quarantine(
      env.clients,
      env.ledger,
      {
        instance: { instanceId: target.instanceId, region: REGION },
        reason: 'test',
        incidentId: 'INC-8',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
      },
      DEFAULT_ENGINE_CONFIG,
    );
    if (out.status !== 'isolated') throw new Error(out.status);
    const snapshots = await takeSnapshots(ev.ec2, env.ledger, out.quarantineId, cfg);
    // Act
    const planning = planExport(ev.s3, env.ledger, out.quarantineId, snapshots, cfg);
    // Assess
    await expect(planning).rejects.toThrow(/does not have S3 Object Lock enabled/);
    const versions = await ev.s3.send(new ListObjectVersionsCommand({ Bucket: vault.bucket }));
    expect(versions.Versions ?? []).toEqual([]);
    const uploads = await ev.s3.send(new ListMultipartUploadsCommand({ Bucket: vault.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    expect((await getQuarantine(env.ledger, out.quarantineId))?.evidence?.exports).toBeUndefined();
  });
});
