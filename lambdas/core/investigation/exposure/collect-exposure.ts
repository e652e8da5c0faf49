import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GetInstanceProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import { reasonOf } from '../../errors';
import type { QuarantineRecord } from '../../ledger/record';
import type { ExposureFacts } from './exposure-facts';
import { guardDutyHistory } from './finding-history';
import { instanceHistory } from './instance-access';
import { imdsOf, userDataSha256 } from './instance-settings';
import { internetRoute, openIngress, publicAddresses } from './network-exposure';
import { preIsolationOf } from './pre-isolation';
import { inspectorFindings } from './vulnerabilities';

/** Clients acting in the instance's account and Region (the MemberAccess role for a member account). */
export interface ExposureClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly inspector: Inspector2Client;
  readonly guardduty: GuardDutyClient;
  readonly cloudtrail: CloudTrailClient;
}

/** Settles a read into its value or undefined, with the reason pushed to `unknowns`. */
async function attempt<T>(what: string, unknowns: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    unknowns.push(`${what}: ${reasonOf(err)}`);
    return undefined;
  }
}

async function describe(ec2: EC2Client, instanceId: string): Promise<Instance | undefined> {
  const res = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return res.Reservations?.[0]?.Instances?.[0];
}

/**
 * The session an EC2 role gives the instance is named after the instance id, so its principal id is
 * `<role unique id>:<instance id>`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 */
async function sessionPrincipalId(iam: IAMClient, profileArn: string, instanceId: string) {
  const name = profileArn.slice(profileArn.lastIndexOf('/') + 1);
  const res = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
  const roleId = res.InstanceProfile?.Roles?.[0]?.RoleId;
  return roleId === undefined ? undefined : `${roleId}:${instanceId}`;
}

/**
 * Collects the exposure facts of a quarantined instance. Every read is independent and fails alone:
 * what could not be read is listed in `unknowns` (and the Inspector and GuardDuty parts are
 * `unavailable` with the reason); this function never throws for an AWS error.
 */
export async function collectExposure(
  c: ExposureClients,
  record: QuarantineRecord,
  now = new Date(),
): Promise<ExposureFacts> {
  const instanceId = record.instance.instanceId;
  const pre = preIsolationOf(record);
  const unknowns: string[] = [];
  if (pre.enis === undefined)
    unknowns.push(
      'original security groups and subnets: isolation recorded no network state before the cut (open ingress and the internet route are unknown)',
    );
  const groups = [...new Set((pre.enis ?? []).flatMap((e) => e.groupIds))];
  const subnets = [...new Set((pre.enis ?? []).map((e) => e.subnetId).filter(Boolean))];
  const [instance, ingress, route, userData, principal, history] = await Promise.all([
    attempt('instance description', unknowns, () => describe(c.ec2, instanceId)),
    pre.enis === undefined
      ? Promise.resolve(undefined)
      : attempt('open ingress of the original security groups', unknowns, () => openIngress(c.ec2, groups)),
    pre.vpcId === undefined || pre.enis === undefined
      ? Promise.resolve(undefined)
      : attempt('route to an internet gateway', unknowns, () =>
          internetRoute(c.ec2, pre.vpcId ?? '', subnets),
        ),
    attempt('user data', unknowns, () => userDataSha256(c.ec2, instanceId)),
    pre.instanceProfileArn === undefined
      ? Promise.resolve(undefined)
      : attempt("role session's principal id", unknowns, () =>
          sessionPrincipalId(c.iam, pre.instanceProfileArn ?? '', instanceId),
        ),
    attempt('CloudTrail history of the instance', unknowns, () =>
      instanceHistory(c.cloudtrail, instanceId, pre.launchTime, now),
    ),
  ]);
  const [vulns, guardduty] = await Promise.all([
    inspectorFindings(c.inspector, instanceId).then(
      (r) => ({
        status: 'collected' as const,
        findings: r.findings,
        ...(r.truncated ? { detail: 'more findings than read' } : {}),
      }),
      (err: unknown) => ({ status: 'unavailable' as const, detail: reasonOf(err), findings: [] }),
    ),
    guardDutyHistory(c.guardduty, instanceId, principal).then(
      (r) => ({
        status: 'collected' as const,
        findings: r.findings,
        ...(r.detail === undefined ? {} : { detail: r.detail }),
      }),
      (err: unknown) => ({ status: 'unavailable' as const, detail: reasonOf(err), findings: [] }),
    ),
  ]);
  if (vulns.status === 'unavailable') unknowns.push(`Amazon Inspector findings: ${vulns.detail}`);
  if (guardduty.status === 'unavailable') unknowns.push(`GuardDuty finding history: ${guardduty.detail}`);
  if (history?.truncated === true) unknowns.push('CloudTrail history of the instance: more events than read');
  const addresses =
    instance === undefined ? [] : await publicAddresses(c.ec2, instance, pre.enis ?? [], unknowns);
  return {
    version: 1,
    instanceId,
    collectedAt: now.toISOString(),
    publicAddresses: addresses,
    openIngress: ingress ?? [],
    internetRoute: route ?? 'unknown',
    imds: imdsOf(instance),
    keyName: instance?.KeyName ?? null,
    userData: { sha256: userData ?? null, changes: history?.userDataChanges ?? [] },
    vulnerabilities: vulns,
    findingHistory: guardduty,
    instanceAccess: history?.access ?? [],
    unknowns,
  };
}
