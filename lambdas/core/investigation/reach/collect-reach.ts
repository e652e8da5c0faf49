import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DocumentLike } from '../../../../policies/evaluation';
import { quarantinedInstancesPolicy, quarantinePolicyArn } from '../../../../policies/quarantined-instances';
import { readRolePolicies } from '../../isolation/role-policies';
import { collectTables } from './collect-dynamodb';
import { collectVpcEndpoints } from './collect-endpoints';
import { resolveKeys } from './collect-keys';
import { collectNamedStores } from './collect-named';
import { collectOrganizations } from './collect-organizations';
import { roleCandidates, roleTags, sessionArn } from './collect-roles';
import { collectS3 } from './collect-s3';
import { collectSecrets } from './collect-secrets';
import { collectParameters } from './collect-ssm';
import { type Collected, emptyCollected, reasonOf, type Unknown } from './collect-support';
import { DEFAULT_REACH_OPTIONS, evaluateReach, type ReachOptions } from './evaluate-reach';
import type { JsonApi } from './json-api';
import type { ReachReport } from './report';
import { type ReachSnapshotSet, UNKNOWN_ACCOUNT } from './snapshot-set';

/** Clients as parameters; per-region factories for the regional services. */
export interface ReachClients {
  readonly iam: IAMClient;
  /** EC2 in the instance's region (its VPC's endpoints). */
  readonly ec2: EC2Client;
  readonly s3For: (region: string) => S3Client;
  readonly kmsFor: (region: string) => KMSClient;
  readonly dynamodbFor: (region: string) => DynamoDBClient;
  readonly secretsFor: (region: string) => JsonApi;
  readonly ssmFor: (region: string) => JsonApi;
  readonly organizations: JsonApi;
}

/** The quarantined instance as the isolation step recorded it before any change. */
export interface ReachTarget {
  readonly instanceArn: string;
  readonly roleName: string;
  readonly vpcId?: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
}

export interface ReachCollectConfig {
  /** The covered regions of the instance's account. */
  readonly regions: ReadonlyArray<string>;
  readonly classificationTags?: ReadonlyArray<string>;
}

function merge(parts: ReadonlyArray<Collected>): Collected {
  const out = emptyCollected();
  for (const p of parts) {
    const offset = out.stores.length;
    out.stores.push(...p.stores);
    out.resources.push(...p.resources);
    out.keys.push(...p.keys.map((k) => ({ ...k, store: k.store + offset })));
    out.unknown.push(...p.unknown);
  }
  return out;
}

/**
 * Freezes the authorization state that decides what the instance's session could read, as it was before
 * Sequester's deny (the deny is left out of the role's policies and carried separately). Never throws for
 * an AWS failure: what could not be read is recorded in `unknown` (or on the store).
 */
export async function collectSnapshotSet(
  clients: ReachClients,
  target: ReachTarget,
  config: ReachCollectConfig,
): Promise<ReachSnapshotSet> {
  const [, , , region = '', accountId = ''] = target.instanceArn.split(':');
  // Sequester's deny is the account's managed quarantined-instances policy: left out of the role as it
  // was before isolation, and added back, listing this instance, for afterIsolation.
  const partition = target.instanceArn.split(':')[1] ?? 'aws';
  const instanceId = target.instanceArn.slice(target.instanceArn.lastIndexOf('/') + 1);
  const denyName = `managed:${quarantinePolicyArn(partition, accountId)}`;
  const unknown: Unknown[] = [];
  const readTags = (config.classificationTags ?? DEFAULT_REACH_OPTIONS.classificationTags).length > 0;

  const [role, tags, endpoints, ...stores] = await Promise.all([
    readRolePolicies(clients.iam, target.roleName, (n) => n === denyName).catch((err: unknown) =>
      reasonOf(err),
    ),
    roleTags(clients.iam, target.roleName).catch(() => ({})),
    collectVpcEndpoints(clients.ec2, target.vpcId, region, unknown),
    collectS3(clients.s3For, region, config.regions, accountId),
    ...config.regions.flatMap((r) => [
      collectSecrets(clients.secretsFor(r), r, accountId),
      collectParameters(clients.ssmFor(r), r, accountId, readTags),
      collectTables(clients.dynamodbFor(r), r, accountId),
    ]),
  ]);
  const own = merge(stores);
  const named = await collectNamedStores(
    clients,
    typeof role === 'string' ? [] : role.identityPolicies.map((p) => p.document as DocumentLike),
    { accountId, region, storeArns: new Set(own.stores.map((s) => s.arn)) },
  );
  const collected = merge([own, named]);
  const keyPolicies = await resolveKeys(clients.kmsFor, collected, accountId);
  const roleArn =
    typeof role === 'string' ? `arn:aws:iam::${accountId}:role/${target.roleName}` : role.roleArn;
  if (typeof role === 'string') {
    // Without the role's own policies no decision about it is worth anything.
    unknown.push({ what: `role ${roleArn}`, reason: role });
    for (const s of collected.stores) s.unknown ??= `role policies: ${role}`;
  }
  // A bucket of another account whose account is unknown has no RCP chain to read.
  const resourceAccounts = [
    ...new Set(collected.stores.map((s) => s.accountId).filter((a) => a !== UNKNOWN_ACCOUNT)),
  ];
  const [org, roles] = await Promise.all([
    collectOrganizations(clients.organizations, accountId, resourceAccounts),
    roleCandidates(clients.iam, roleArn, accountId, unknown),
  ]);
  const scps = org.scps as ReachSnapshotSet['instance']['scps'];
  return {
    version: 1,
    target: {
      instanceArn: target.instanceArn,
      region,
      ...(target.vpcId !== undefined ? { vpcId: target.vpcId } : {}),
      ...(target.privateIp !== undefined ? { privateIp: target.privateIp } : {}),
      ...(target.publicIp !== undefined ? { publicIp: target.publicIp } : {}),
      vpcEndpoints: endpoints.endpoints,
      vpcEndpointsKnown: endpoints.known,
      ...(org.orgId !== undefined ? { orgId: org.orgId } : {}),
    },
    instance: {
      version: 1,
      principal: { arn: sessionArn(roleArn, instanceId), accountId, roleArn, tags },
      identityPolicies: (typeof role === 'string'
        ? []
        : role.identityPolicies) as ReachSnapshotSet['instance']['identityPolicies'],
      permissionsBoundary: (typeof role === 'string'
        ? null
        : role.permissionsBoundary) as ReachSnapshotSet['instance']['permissionsBoundary'],
      sessionPolicies: [],
      scps,
      rcps: org.rcps as ReachSnapshotSet['instance']['rcps'],
      resources: [...collected.resources, ...keyPolicies] as ReachSnapshotSet['instance']['resources'],
      vpcEndpoints: endpoints.policies as ReachSnapshotSet['instance']['vpcEndpoints'],
      requests: [],
    },
    roles: roles.map((r) => ({ ...r, snapshot: { ...r.snapshot, scps } })),
    isolationDeny: [
      {
        name: denyName,
        document: quarantinedInstancesPolicy([
          target.instanceArn,
        ]) as ReachSnapshotSet['isolationDeny'][number]['document'],
      },
    ],
    stores: collected.stores,
    unknown: [...unknown, ...collected.unknown, ...org.unknown],
  };
}

/** Collects and evaluates: reach.json's content for one quarantined instance. */
export async function collectReach(
  clients: ReachClients,
  target: ReachTarget,
  config: ReachCollectConfig & Partial<ReachOptions>,
): Promise<ReachReport> {
  return evaluateReach(await collectSnapshotSet(clients, target, config), config);
}
