import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { compositeSha256, sha256b64 } from '../../lambdas/core/evidence/checksums';
import type { Manifest } from '../../lambdas/core/evidence/manifest';
import { recordKey } from '../../lambdas/core/ledger/record';
import { configureLocalDeployment } from '../../local-aws/iam/local-enforcement';
import { reviewerCredentials } from '../../local-aws/iam/local-roles';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';
import { AS_REVIEWER, lastJson, runCli } from './run-cli';

const Q = 'q-5d0c2f4e-8a3b-4c1d-9e7f-1a2b3c4d5e6f';
const BUCKET = 'sequester-evidence-vault';
const MIB = 1024 * 1024;
// Three parts, the last one short, with bytes that differ per position.
const IMAGE = Buffer.from(Array.from({ length: 3 * MIB - 4096 }, (_, i) => (i * 31 + (i >> 12)) % 251));
const parts = [0, 1, 2].map((n) => sha256b64(IMAGE.subarray(n * MIB, Math.min((n + 1) * MIB, IMAGE.length))));
const REVIEWER_SESSION = 'arn:aws:sts::123456789012:assumed-role/sequester-reviewer/reviewer';

function manifest(versionId: string): Manifest {
  const at = '2026-11-25T17:00:00.000Z';
  const retention = { mode: 'COMPLIANCE' as const, until: '2027-11-25T17:00:00.000Z' };
  return {
    manifestVersion: 1,
    tool: 'sequester/test',
    quarantineId: Q,
    incidentId: 'INC-9',
    reason: 'test',
    trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
    actor: 'arn:aws:iam::123456789012:role/on-call',
    instance: {},
    volumes: [
      {
        volumeId: 'vol-1',
        snapshotId: 'snap-1',
        sizeGiB: 1,
        deviceName: '/dev/xvda',
        images: [
          {
            key: `evidence/INC-9/${Q}/disks/vol-1.raw`,
            versionId,
            volumeId: 'vol-1',
            snapshotId: 'snap-1',
            offset: 0,
            length: IMAGE.length,
            partSize: MIB,
            partCount: parts.length,
            writtenBlocks: 6,
            partSha256: parts,
            compositeSha256: compositeSha256(parts),
            exportStartedAt: at,
            completedAt: at,
            retention,
            legalHold: false,
          },
        ],
      },
    ],
    context: [],
    chainOfCustody: [],
    sealedAt: at,
    retention,
    legalHold: false,
  };
}

/**
 * `sequester evidence download` as the reviewer role, through the enforcing local AWS: the images, their
 * whole-file SHA-256 as `sha256sum` prints it, and the custody entry in the ledger.
 */
describe('sequester evidence download (reviewer role)', () => {
  let env: MotoEnv;
  const out = mkdtempSync(join(tmpdir(), 'sequester-download-'));

  beforeAll(async () => {
    env = await freshMoto();
    configureLocalDeployment(env.enforcer, { AWS_REGION: REGION, VAULT_BUCKET: BUCKET });
    const s3 = new S3Client({
      region: REGION,
      endpoint: env.endpoint,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(
      new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const image = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `evidence/INC-9/${Q}/disks/vol-1.raw`, Body: IMAGE }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `evidence/INC-9/${Q}/manifest.json`,
        Body: JSON.stringify(manifest(image.VersionId ?? '')),
      }),
    );
    await env.ledger.ddb.send(
      new PutCommand({
        TableName: env.ledger.tableName,
        Item: { pk: recordKey(Q), quarantineId: Q, state: 'evidence_sealed', actions: [] },
      }),
    );
  });

  it('prints the SHA-256 of each image file as sha256sum does and records it, with the reviewer, in the ledger', async () => {
    // Act
    const run = await runCli(
      [
        'evidence',
        'download',
        `INC-9/${Q}`,
        '--out',
        out,
        '--bucket',
        BUCKET,
        '--endpoint-url',
        env.endpoint,
      ],
      { ...AS_REVIEWER, SEQUESTER_LEDGER_TABLE: env.ledger.tableName },
    );
    // Assess
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const file = join(out, 'vol-1.raw');
    const { stdout: sha256sum } = await promisify(execFile)('sha256sum', [file]);
    expect(run.stdout).toContain(sha256sum.trim());
    const hex = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(sha256sum.startsWith(`${hex}  `)).toBe(true);
    expect(hex).toBe(createHash('sha256').update(IMAGE).digest('hex'));
    const record = await env.ledger.ddb.send(
      new GetCommand({ TableName: env.ledger.tableName, Key: { pk: recordKey(Q) } }),
    );
    expect(record.Item?.actions).toEqual([
      expect.objectContaining({
        actor: REVIEWER_SESSION,
        step: 'evidence-download',
        outcome: 'ok',
        detail: expect.objectContaining({
          summary: `downloaded by ${REVIEWER_SESSION}, SHA-256 ${hex} (evidence/INC-9/${Q}/disks/vol-1.raw)`,
          images: [expect.objectContaining({ sha256: hex, bytes: IMAGE.length })],
        }),
      }),
    ]);
    expect(env.enforcer.denials).toEqual([]);
  });

  it('reports the hash and the custody entry in --json', async () => {
    // Act
    const run = await runCli(
      [
        'evidence',
        'download',
        `INC-9/${Q}`,
        '--out',
        out,
        '--bucket',
        BUCKET,
        '--endpoint-url',
        env.endpoint,
        '--json',
      ],
      { ...AS_REVIEWER, SEQUESTER_LEDGER_TABLE: env.ledger.tableName },
    );
    // Assess
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({
      ok: true,
      files: [{ sha256: createHash('sha256').update(IMAGE).digest('hex'), partsAlreadyPresent: 3 }],
      custody: { actor: REVIEWER_SESSION },
    });
  });

  it('refuses to start without a ledger table to record custody in', async () => {
    // Act
    const run = await runCli(
      [
        'evidence',
        'download',
        `INC-9/${Q}`,
        '--out',
        out,
        '--bucket',
        BUCKET,
        '--endpoint-url',
        env.endpoint,
      ],
      AS_REVIEWER,
    );
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sequester: error: --ledger-table: /);
  });

  it("lets the reviewer append custody entries but not change a quarantine's state", async () => {
    // Prepare
    const ddb = new DynamoDBClient({
      region: REGION,
      endpoint: env.endpoint,
      credentials: reviewerCredentials(),
      maxAttempts: 1,
    });
    // Act
    const attempt = ddb.send(
      new UpdateItemCommand({
        TableName: env.ledger.tableName,
        Key: { pk: { S: recordKey(Q) } },
        UpdateExpression: 'SET #s = :released',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':released': { S: 'released' } },
      }),
    );
    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
