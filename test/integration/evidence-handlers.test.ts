import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { createVolumeKey } from '../../local-aws/volume-key';
import { freshEvidenceEnv, isolateForEvidence, setEvidenceHandlerEnv } from '../support/evidence-env';
import { asRole } from '../support/moto';

describe('evidence task handlers, chained as the workflow runs them, against moto', () => {
  it('passes each task output to the next and seals the evidence', async () => {
    // Prepare
    const e = await freshEvidenceEnv('handler-vault');
    const { env } = e;
    setEvidenceHandlerEnv(e, { SEGMENT_PARTS: '48' });
    // A volume encrypted with a customer-managed key, as with EBS encryption by default on a CMK.
    const kmsKeyId = await createVolumeKey(e.opts);
    const target = await launchDiskInstance(e.ev.ec2, { cidr: '10.50.0.0/16', kmsKeyId });
    const quarantineId = await isolateForEvidence(env, target.instanceId, 'INC-9');
    const tasks = {
      snapshot: asRole('snapshot', (await import('../../lambdas/handlers/snapshot')).handler),
      poll: asRole('poll-snapshots', (await import('../../lambdas/handlers/poll-snapshots')).handler),
      plan: asRole('plan-export', (await import('../../lambdas/handlers/plan-export')).handler),
      segment: asRole('export-segment', (await import('../../lambdas/handlers/export-segment')).handler),
      complete: asRole('complete-export', (await import('../../lambdas/handlers/complete-export')).handler),
      seal: asRole('seal-manifest', (await import('../../lambdas/handlers/seal-manifest')).handler),
    };
    // Act
    const s1 = await tasks.snapshot({ quarantineId: quarantineId });
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
    expect(env.enforcer.denials).toEqual([]);
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
    expect((await getQuarantine(env.ledger, quarantineId))?.state).toBe('evidence_sealed');
  }, 240_000);
});
