import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  GetConsoleOutputCommand,
  GetConsoleScreenshotCommand,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../clients';
import { awsErrorName } from '../errors';
import { action } from '../isolation/engine-config';
import { sha256b64 } from './checksums';
import { type EvidenceConfig, lockFor } from './config';
import { evidenceOf, loadRecord, recordEvidence } from './evidence-record';
import type { ContextObject } from './manifest';
import { evidencePrefix } from './vault';

export interface ContextClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly cloudtrail: CloudTrailClient;
  readonly s3: S3Client;
}

type Facts = { instanceProfileArn?: string };
type Network = { enis?: { eniId: string; groupIds: string[] }[] };

/** The captures, each a function of the record; a capture returns the object's body and extension. */
function captures(c: ContextClients, r: Awaited<ReturnType<typeof loadRecord>>, cfg: EvidenceConfig) {
  const instanceId = r.instance.instanceId;
  const network = (r.preState.network ?? {}) as Network;
  const json = (v: unknown) => ({ body: Buffer.from(JSON.stringify(v, null, 2)), ext: 'json' });
  return {
    request: async () =>
      json({
        trigger: r.trigger,
        reason: r.reason,
        incidentId: r.incidentId,
        options: r.options,
        receivedAt: r.createdAt,
      }),
    'pre-isolation-state': async () => json(r.preState),
    'describe-instance': async () =>
      json(await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))),
    'network-interfaces': async () =>
      json(
        await c.ec2.send(
          new DescribeNetworkInterfacesCommand({
            NetworkInterfaceIds: (network.enis ?? []).map((e) => e.eniId),
          }),
        ),
      ),
    // The instance's original groups, which isolation detached but never changes.
    'security-groups': async () =>
      json(
        await c.ec2.send(
          new DescribeSecurityGroupsCommand({
            GroupIds: [...new Set((network.enis ?? []).flatMap((e) => e.groupIds))],
          }),
        ),
      ),
    'iam-role': async () => {
      const arn = (r.preState.instance as Facts | undefined)?.instanceProfileArn;
      if (arn === undefined) return json({ instanceProfile: null });
      const profile = await c.iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: arn.split('/').at(-1) }),
      );
      const roles = await Promise.all(
        (profile.InstanceProfile?.Roles ?? []).map(async (role) => {
          const names = await c.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }));
          const inline = await Promise.all(
            (names.PolicyNames ?? []).map((PolicyName) =>
              c.iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName })),
            ),
          );
          const attached = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
          return {
            role,
            inline: inline.map((p) => ({
              name: p.PolicyName,
              document: decodeURIComponent(p.PolicyDocument ?? ''),
            })),
            attached: attached.AttachedPolicies,
          };
        }),
      );
      return json({ instanceProfile: profile.InstanceProfile?.Arn, roles });
    },
    'console-output': async () => {
      const out = await c.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true }));
      return { body: Buffer.from(out.Output ?? '', 'base64'), ext: 'txt' };
    },
    'console-screenshot': async () => {
      const shot = await c.ec2.send(
        new GetConsoleScreenshotCommand({ InstanceId: instanceId, WakeUp: false }),
      );
      return { body: Buffer.from(shot.ImageData ?? '', 'base64'), ext: 'jpg' };
    },
    // EC2 role credentials are issued to a session named after the instance id.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
    cloudtrail: async () => {
      const EndTime = new Date();
      const StartTime = new Date(EndTime.getTime() - cfg.cloudTrailWindowHours * 3_600_000);
      const events: unknown[] = [];
      let NextToken: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const res = await c.cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: instanceId }],
            StartTime,
            EndTime,
            NextToken,
          }),
        );
        events.push(...(res.Events ?? []));
        NextToken = res.NextToken;
        if (NextToken === undefined) break;
      }
      return json({ window: { StartTime, EndTime }, truncated: NextToken !== undefined, events });
    },
  } as const;
}

/**
 * Captures and locks what an investigator needs to follow the attacker: the request as received, the
 * pre-isolation state, the instance, its interfaces and original security groups, its role and
 * policies, console output and screenshot, and the role's recent CloudTrail events. A capture that
 * fails is recorded as unavailable and never blocks containment or disk evidence. Idempotent.
 */
export async function captureContext(
  c: ContextClients,
  l: LedgerClients,
  quarantineId: string,
  cfg: EvidenceConfig,
): Promise<ContextObject[]> {
  const record = await loadRecord(l, quarantineId);
  const known = evidenceOf(record).contextObjects;
  if (known !== undefined) return known;
  const base = `${evidencePrefix(cfg.prefix, record)}context/`;
  const lock = lockFor(cfg);
  const objects = await Promise.all(
    Object.entries(captures(c, record, cfg)).map(async ([name, capture]): Promise<ContextObject> => {
      try {
        const { body, ext } = await capture();
        const sha256 = sha256b64(body);
        const key = `${base}${name}.${ext}`;
        const put = await c.s3.send(
          new PutObjectCommand({
            Bucket: cfg.vaultBucket,
            Key: key,
            Body: body,
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: sha256,
            ...lock,
          }),
        );
        return {
          name,
          status: 'captured',
          key,
          sha256,
          ...(put.VersionId === undefined ? {} : { versionId: put.VersionId }),
        };
      } catch (err) {
        return {
          name,
          status: 'unavailable',
          detail:
            `${awsErrorName(err) ?? 'Error'}: ${err instanceof Error ? err.message : String(err)}`.slice(
              0,
              500,
            ),
        };
      }
    }),
  );
  const captured = objects.filter((o) => o.status === 'captured').map((o) => o.name);
  const unavailable = objects.filter((o) => o.status === 'unavailable').map((o) => o.name);
  await recordEvidence(
    l,
    record,
    { contextObjects: objects },
    {
      actions: [action(cfg.responderActor, 'context-captured', 'ok', { captured, unavailable })],
    },
  );
  return objects;
}
