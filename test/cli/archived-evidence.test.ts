import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { configureLocalDeployment } from '../../local-aws/iam/local-enforcement';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { freshMoto, type MotoEnv, REGION } from '../support/moto';
import { AS_REVIEWER, lastJson, runCli } from './run-cli';

const Q = 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11';
const BASE = `evidence/INC-1/${Q}/`;
const BUCKET = 'vault-archived';

/**
 * Evidence after the vault's cold-storage transition, on moto (which, like S3, refuses GetObject of a
 * DEEP_ARCHIVE object with InvalidObjectState until it is restored).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
describe('sequester evidence on archived evidence', () => {
  let env: MotoEnv;
  // As the reviewer role, through the enforcing local AWS: what the reviewer may do on AWS.
  const cli = (...args: string[]) =>
    runCli(['evidence', ...args, '--bucket', BUCKET, '--endpoint-url', env.endpoint, '--json'], AS_REVIEWER);

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
    for (const [key, StorageClass] of [
      ['manifest.json', 'DEEP_ARCHIVE'],
      ['disks/vol-1.raw', 'DEEP_ARCHIVE'],
      ['context/request.json', 'STANDARD'],
    ] as const)
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${BASE}${key}`, Body: '{}', StorageClass }));
  });

  it('verify exits 1 saying the evidence is archived and to restore it first, naming the object', async () => {
    const run = await cli('verify', `INC-1/${Q}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `archived, restore first: ${BASE}manifest\\.json \\(DEEP_ARCHIVE\\).*restore-archive INC-1/${Q}`,
      ),
    );
    expect(run.stderr).not.toMatch(/InvalidObjectState/);
    expect(env.enforcer.denials).toEqual([]);
  });

  it('restore-archive starts a restore of every archived object of the quarantine', async () => {
    const run = await cli('restore-archive', Q, '--days', '3', '--tier', 'Bulk');
    expect(run.code).toBe(0);
    expect(lastJson(run)).toMatchObject({
      quarantineId: Q,
      started: [`${BASE}disks/vol-1.raw`, `${BASE}manifest.json`],
      notArchived: 1,
    });
  });

  it('restore-archive refuses a tier other than Standard or Bulk', async () => {
    const run = await cli('restore-archive', Q, '--tier', 'Expedited');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--tier/);
  });
});
