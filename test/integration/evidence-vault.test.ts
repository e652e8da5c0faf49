import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DEFAULT_EVIDENCE_CONFIG } from '../../lambdas/core/evidence/config';
import { planExport } from '../../lambdas/core/evidence/plan-export';
import { takeSnapshots } from '../../lambdas/core/evidence/snapshot';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { freshEvidenceEnv, isolateForEvidence } from '../support/evidence-env';

describe('evidence vault precheck against moto', () => {
  it('refuses a vault without Object Lock and writes nothing there', async () => {
    // Prepare
    const { env, ev, vault } = await freshEvidenceEnv('unlocked-vault', false);
    const cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: vault.bucket };
    const target = await launchDiskInstance(ev.ec2, { cidr: '10.40.0.0/16' });
    const quarantineId = await isolateForEvidence(env, target.instanceId, 'INC-8');
    const snapshots = await takeSnapshots(ev.ec2, env.ledger, quarantineId, cfg);
    // Act
    const planning = planExport(ev.s3, env.ledger, quarantineId, snapshots, cfg);
    // Assess
    await expect(planning).rejects.toThrow(/does not have S3 Object Lock enabled/);
    const versions = await ev.s3.send(new ListObjectVersionsCommand({ Bucket: vault.bucket }));
    expect(versions.Versions ?? []).toEqual([]);
    const uploads = await ev.s3.send(new ListMultipartUploadsCommand({ Bucket: vault.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    expect((await getQuarantine(env.ledger, quarantineId))?.evidence?.exports).toBeUndefined();
  });
});
