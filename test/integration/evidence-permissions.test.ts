import { randomBytes } from 'node:crypto';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { seedVolume } from '../../local-aws/ebs-bridge/seed';
import { createVolumeKey } from '../../local-aws/volume-key';
import type { PolicyStatement } from '../../policies/policy-document';
import type { LambdaName } from '../../policies/responder-statements';
import { freshEvidenceEnv, isolateForEvidence, setEvidenceHandlerEnv } from '../support/evidence-env';
import { asRole, REGION } from '../support/moto';

/** A step's declared statements without the one whose Sid is named for it. */
const without =
  (drop: Partial<Record<LambdaName, string>>) =>
  (name: LambdaName, statements: PolicyStatement[]): PolicyStatement[] =>
    statements.filter((s) => s.Sid === undefined || s.Sid !== drop[name]);

/**
 * The evidence steps under the IAM-enforcing local AWS, each first without the grant AWS requires
 * (issue 12 items 1, 2, 4), then with it back: removing one required statement of
 * policies/evidence-statements.ts makes exactly the matching step fail with AccessDenied, as on AWS.
 */
describe('evidence steps against the IAM-enforcing local AWS', () => {
  it('fails each step without its required grant, with AccessDenied on exactly that action', async () => {
    // Arrange: an instance whose 1 GiB root volume is encrypted with a customer-managed key and has data.
    const e = await freshEvidenceEnv('permissions-vault');
    const kmsKeyId = await createVolumeKey(e.opts);
    const target = await launchDiskInstance(e.ev.ec2, { cidr: '10.70.0.0/16', kmsKeyId });
    await seedVolume(e.env.endpoint, {
      region: REGION,
      volumeId: target.volumeId,
      data: randomBytes(1024 * 1024),
    });
    const enforce = (drop: Partial<Record<LambdaName, string>>) =>
      setEvidenceHandlerEnv(e, { SEGMENT_PARTS: '128', LEGAL_HOLD: 'true' }, { edit: without(drop) });
    const h = {
      snapshot: asRole('snapshot', (await import('../../lambdas/handlers/snapshot')).handler),
      poll: asRole('poll-snapshots', (await import('../../lambdas/handlers/poll-snapshots')).handler),
      plan: asRole('plan-export', (await import('../../lambdas/handlers/plan-export')).handler),
      segment: asRole('export-segment', (await import('../../lambdas/handlers/export-segment')).handler),
      complete: asRole('complete-export', (await import('../../lambdas/handlers/complete-export')).handler),
    };
    enforce({
      'plan-export': 'ZeroObjectLookup',
      'export-segment': 'DecryptEncryptedSnapshots',
      'complete-export': 'ReadBackCompletedVersion',
    });
    const quarantineId = await isolateForEvidence(e.env, target.instanceId, 'INC-IAM');
    const polled = await h.poll(await h.snapshot({ quarantineId }));

    // Act + assert, step by step.
    // 2: HEAD of the missing zero object is 403 without s3:ListBucket, so plan-export fails in a new vault.
    await expect(h.plan(polled)).rejects.toThrow();
    enforce({ 'export-segment': 'DecryptEncryptedSnapshots', 'complete-export': 'ReadBackCompletedVersion' });
    const planned = await h.plan(polled);
    const segments = planned.segments.map((s) => ({ quarantineId, ...JSON.parse(JSON.stringify(s)) }));
    // 4: reading blocks of the encrypted snapshot needs kms:Decrypt on the volume's key.
    await expect(Promise.all(segments.map((s) => h.segment(s)))).rejects.toThrow();
    enforce({ 'complete-export': 'ReadBackCompletedVersion' });
    await Promise.all(segments.map((s) => h.segment(s)));
    // 1: completion reads back its version (s3:GetObjectVersion) and its lock headers.
    await expect(h.complete(planned)).rejects.toThrow();

    const refused = e.env.enforcer.denials.map((d) => `${d.operation} ${d.action}`);
    expect([...new Set(refused)]).toEqual([
      's3:HeadObject s3:ListBucket',
      'ebs:GetSnapshotBlock kms:Decrypt',
      's3:HeadObject s3:GetObjectVersion',
    ]);
    // The declared policies complete the whole run with nothing refused: test/workflow/local-quarantine.test.ts.
  }, 240_000);
});
