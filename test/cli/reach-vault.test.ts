import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { evidencePrefix } from '../../lambdas/core/evidence/vault';
import type { InvestigationOutcome } from '../../lambdas/core/investigation/outcome';
import { evaluateReach } from '../../lambdas/core/investigation/reach/evaluate-reach';
import { recordOutcome } from '../../lambdas/core/investigation/record-outcome';
import { claimQuarantine } from '../../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { reviewerCredentials } from '../../local-aws/iam/local-roles';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, type MotoEnv, REGION, setHandlerEnv } from '../support/moto';
import { allow, BUCKET, s3Store, snapshotSet } from '../unit/investigation/reach/reach-fixtures';
import { lastJson, runCli } from './run-cli';

const INCIDENT = 'INC-7';
const VAULT = 'sequester-evidence-vault';
const report = evaluateReach(
  snapshotSet({
    identity: [allow(['s3:GetObject', 's3:ListBucket'])],
    stores: [s3Store(BUCKET, { tags: { 'data-classification': 'customer' } })],
  }),
  { now: new Date('2026-11-30T08:00:00Z') },
);

/**
 * `sequester reach <incident>/<instance>` as the reviewer: the reviewer role as policies/human-roles.ts
 * declares it, through the IAM-enforcing local AWS, reading what the workflow sealed (reach.json under
 * the quarantine's evidence prefix, its key, version and SHA-256 in the ledger's `reach` attribute).
 */
describe('sequester reach <incident>/<instance>, with the reviewer credentials', () => {
  let env: MotoEnv;
  const reviewer = reviewerCredentials();
  const cli = (ref: string, ...args: string[]) =>
    runCli(
      [
        'reach',
        ref,
        '--bucket',
        VAULT,
        '--ledger-table',
        env.ledger.tableName,
        '--endpoint-url',
        env.endpoint,
        ...args,
      ],
      { AWS_ACCESS_KEY_ID: reviewer.accessKeyId, AWS_SECRET_ACCESS_KEY: reviewer.secretAccessKey },
    );

  /** A quarantine of `instanceId` whose reach step sealed `body`, with `sha256` recorded in the ledger. */
  async function sealed(instanceId: string, body: string, sha256?: string): Promise<string> {
    const claim = await claimQuarantine(
      env.ledger,
      parseQuarantineRequest({
        instance: { instanceId, region: REGION },
        incidentId: INCIDENT,
        reason: 'test',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:user/alice' },
      }),
    );
    const { quarantineId } = claim.record;
    const key = `${evidencePrefix('evidence/', { incidentId: INCIDENT, quarantineId })}investigation/reach.json`;
    const s3 = new S3Client({
      region: REGION,
      endpoint: env.endpoint,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const put = await s3.send(
      new PutObjectCommand({ Bucket: VAULT, Key: key, Body: body, ChecksumAlgorithm: 'SHA256' }),
    );
    const outcome: InvestigationOutcome = {
      status: 'written',
      at: '2026-11-30T08:00:01.000Z',
      objects: [
        {
          name: 'reach.json',
          key,
          ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
          sha256: sha256 ?? createHash('sha256').update(body).digest('base64'),
        },
      ],
      summary: { storesReachableBeforeIsolation: 1, storesReachableAfterIsolation: 0 },
    };
    await recordOutcome(env.ledger, quarantineId, 'reach', outcome);
    return quarantineId;
  }

  beforeAll(async () => {
    env = await freshMoto();
    const s3 = new S3Client({
      region: REGION,
      endpoint: env.endpoint,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const vault = await createVault(
      s3,
      { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS },
      VAULT,
    );
    setHandlerEnv(env, { VAULT_BUCKET: VAULT, VAULT_KEY_ARN: vault.kmsKeyArn });
  });

  it('prints the sealed reach.json with --json after checking its SHA-256 against the ledger', async () => {
    await sealed('i-0aaa1111aaaa1111a', JSON.stringify(report));
    const run = await cli(`${INCIDENT}/i-0aaa1111aaaa1111a`, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lastJson(run)).toEqual(report);
  });

  it('prints the table of stores with the three contexts', async () => {
    await sealed('i-0bbb2222bbbb2222b', JSON.stringify(report));
    const run = await cli(`${INCIDENT}/i-0bbb2222bbbb2222b`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /STORE\s+TYPE\s+REGION\s+VIA\s+CLASSIFICATION\s+INSTANCE\s+INTERNET\s+ISOLATED/,
    );
    expect(run.stdout).toMatch(
      /arn:aws:s3:::customer-data\s+s3\s+eu-west-1\s+web-role\s+data-classification=customer\s+yes\s+yes\s+no/,
    );
  });

  it('refuses a reach.json whose SHA-256 differs from the ledger (exit 1), printing nothing of it', async () => {
    const other = createHash('sha256').update('something else').digest('base64');
    await sealed('i-0ccc3333cccc3333c', JSON.stringify(report), other);
    const run = await cli(`${INCIDENT}/i-0ccc3333cccc3333c`, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the ledger recorded ${other}`);
    expect(run.stdout).toBe('');
  });

  it('says when the incident has no quarantine of the instance (exit 2)', async () => {
    const run = await cli(`${INCIDENT}/i-0ddd4444dddd4444d`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no quarantine of instance i-0ddd4444dddd4444d');
  });

  it('the reviewer cannot write into the vault: the role grants reading only', async () => {
    const s3 = new S3Client({
      region: REGION,
      endpoint: env.endpoint,
      credentials: reviewer,
      forcePathStyle: true,
    });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: VAULT, Key: 'evidence/INC-7/forged.json', Body: '{}' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
