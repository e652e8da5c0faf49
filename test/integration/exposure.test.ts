import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  ModifyInstanceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { sha256b64 } from '../../lambdas/core/evidence/checksums';
import { ExposureFacts } from '../../lambdas/core/investigation/exposure/exposure-facts';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { localKey } from '../../local-aws/iam/local-roles';
import { withCredentials } from '../../local-aws/iam/role-credentials';
import { buildScenario, type Scenario } from '../../local-aws/scenario';
import {
  type EvidenceEnv,
  freshEvidenceEnv,
  isolateForEvidence,
  setEvidenceHandlerEnv,
} from '../support/evidence-env';
import { REGION } from '../support/moto';

const USER_DATA = '#!/bin/bash\ncurl -s http://203.0.113.9/bootstrap | sh\n';

/**
 * Seeds moto's Inspector with the instance's findings: moto answers ListFindings from a queue filled
 * through its own API (moto/inspector2/models.py list_findings), not from scans.
 */
async function seedInspector(motoEndpoint: string, instanceId: string): Promise<void> {
  const findings = JSON.parse(
    readFileSync(join(__dirname, '../fixtures/exposure/inspector2-findings.json'), 'utf8').replaceAll(
      'INSTANCE_ID',
      instanceId,
    ),
  );
  const res = await fetch(`${motoEndpoint}/moto-api/static/inspector2/findings-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results: [findings], account_id: '123456789012', region: REGION }),
  });
  if (!res.ok) throw new Error(`moto refused the Inspector findings: ${res.status}`);
}

/** A public web server: internet gateway in the main route table, an Elastic IP, 22 and 443 open, user data. */
async function exposedInstance(e: EvidenceEnv): Promise<Scenario & { elasticIp: string }> {
  const ec2 = e.env.clients.ec2;
  const s = await buildScenario(e.env.clients, { secondEni: true, name: 'exposed' });
  const igw = await ec2.send(new CreateInternetGatewayCommand({}));
  const igwId = igw.InternetGateway?.InternetGatewayId ?? '';
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: s.vpcId }));
  const tables = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [s.vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: tables.RouteTables?.[0]?.RouteTableId,
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: igwId,
    }),
  );
  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: s.instanceId }));
  await ec2.send(
    new ModifyInstanceAttributeCommand({
      InstanceId: s.instanceId,
      // moto wants the blob's bytes to be base64 text (it base64-decodes what the SDK already encoded).
      UserData: { Value: new TextEncoder().encode(Buffer.from(USER_DATA).toString('base64')) },
    }),
  );
  return { ...s, elasticIp: eip.PublicIp ?? '' };
}

describe('the exposure task against moto, with its own role', () => {
  let e: EvidenceEnv;
  let s: Scenario & { elasticIp: string };
  let quarantineId: string;
  let run: () => Promise<{ quarantineId: string; status: string }>;

  beforeAll(async () => {
    e = await freshEvidenceEnv('exposure-vault');
    setEvidenceHandlerEnv(e);
    s = await exposedInstance(e);
    quarantineId = await isolateForEvidence(e.env, s.instanceId, 'INC-15');
    await seedInspector(e.env.enforcer.target, s.instanceId);
    const { handler } = await import('../../lambdas/handlers/investigate-exposure');
    run = () => withCredentials(localKey('lambda/investigate-exposure'), () => handler({ quarantineId }));
  }, 120_000);

  it('locks exposure.json in the vault and records its SHA-256 as the exposure outcome', async () => {
    // Act
    const out = await run();
    // Assess
    expect(out).toEqual({ quarantineId, status: 'written' });
    expect(e.env.enforcer.denials).toEqual([]);
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    const sealed = rec?.exposure?.objects[0];
    expect(sealed?.key).toBe(`evidence/INC-15/${quarantineId}/investigation/exposure.json`);
    const got = await e.ev.s3.send(
      new GetObjectCommand({ Bucket: e.vault.bucket, Key: sealed?.key, VersionId: sealed?.versionId }),
    );
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    expect(sha256b64(bytes)).toBe(sealed?.sha256);
    expect(got.ObjectLockMode).toBe('COMPLIANCE');
    expect(rec?.actions.at(-1)).toMatchObject({ step: 'investigate-exposure', outcome: 'ok' });
  });

  it('describes the instance as it was exposed before the cut', async () => {
    const rec = await getQuarantine(e.env.ledger, quarantineId);
    const sealed = rec?.exposure?.objects[0];
    const got = await e.ev.s3.send(
      new GetObjectCommand({ Bucket: e.vault.bucket, Key: sealed?.key, VersionId: sealed?.versionId }),
    );
    const facts = ExposureFacts.parse(JSON.parse((await got.Body?.transformToString()) ?? ''));
    expect(facts.openIngress.map((r) => [r.groupId, r.fromPort]).sort()).toEqual(
      [
        [s.adminGroupId, 22],
        [s.webGroupId, 443],
      ].sort(),
    );
    expect(facts.internetRoute).toBe('yes');
    expect(facts.publicAddresses).toContainEqual(
      expect.objectContaining({ address: s.elasticIp, kind: 'elastic' }),
    );
    expect(facts.userData.sha256).toBe(sha256b64(Buffer.from(USER_DATA)));
    expect(facts.vulnerabilities.status).toBe('collected');
    expect(facts.vulnerabilities.findings.map((f) => [f.cve, f.exploitAvailable])).toEqual([
      ['CVE-2021-44228', true],
      [null, null],
    ]);
    // No detector in this account: an empty history that says so.
    expect(facts.findingHistory).toEqual({
      status: 'collected',
      findings: [],
      detail: 'GuardDuty has no detector in this Region',
    });
    // moto has no LookupEvents (test/moto-gaps.md): an unknown, not a failure.
    expect(facts.unknowns).toEqual([expect.stringMatching(/^CloudTrail history of the instance: /)]);
  });

  it('returns the recorded outcome on a retry without writing a second version', async () => {
    const before = await getQuarantine(e.env.ledger, quarantineId);
    await run();
    const after = await getQuarantine(e.env.ledger, quarantineId);
    expect(after?.exposure).toEqual(before?.exposure);
    const versions = await e.ev.s3.send(
      new ListObjectVersionsCommand({ Bucket: e.vault.bucket, Prefix: before?.exposure?.objects[0]?.key }),
    );
    expect(versions.Versions).toHaveLength(1);
  });
});
