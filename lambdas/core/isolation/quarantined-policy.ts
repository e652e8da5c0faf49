import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import {
  arnsThatFit,
  listedInstances,
  MANAGED_POLICY_MAX_CHARS,
  policyChars,
  QUARANTINE_POLICY_NAME,
  QUARANTINE_POLICY_PATH,
  quarantinedInstancesPolicy,
} from '../../../policies/quarantined-instances';
import { awsErrorName, SequesterError } from '../errors';
import { requestIdsOf } from '../request-ids';

/** The account's quarantined-instances policy cannot list one more instance (6,144 characters). */
export class QuarantinePolicyFullError extends SequesterError {
  public constructor(message: string) {
    super(message);
    this.name = 'QuarantinePolicyFullError';
  }
}

export interface PolicyChange {
  readonly add?: string;
  readonly remove?: string;
}
export interface PolicyWrite {
  readonly versionId?: string;
  /** Instances the default version lists after the change, and how many fit. */
  readonly listed: number;
  readonly capacity: number;
  readonly requestIds: ReadonlyArray<string>;
}
export interface WriteOptions {
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * IAM's error codes (NoSuchEntity, EntityAlreadyExists, LimitExceeded, DeleteConflict) surface in SDK v3
 * as exceptions named with an `Exception` suffix; either spelling is matched.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html#API_CreatePolicyVersion_Errors
 */
export const isIamError = (err: unknown, ...codes: ReadonlyArray<string>) => {
  const name = awsErrorName(err) ?? '';
  return codes.some((c) => name === c || name === `${c}Exception`);
};

const versionNumber = (id: string | undefined) => Number((id ?? 'v0').slice(1).split('.')[0]);
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The default version and what it lists; undefined when the policy does not exist (yet). */
async function readDefault(iam: IAMClient, policyArn: string) {
  try {
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const versionId = p.Policy?.DefaultVersionId ?? 'v1';
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }));
    return { versionId, arns: listedInstances(v.PolicyVersion?.Document ?? '{}') };
  } catch (err) {
    if (isIamError(err, 'NoSuchEntity')) return undefined;
    throw err;
  }
}

/** Lists of the versions written between `from` (exclusive) and `to` (exclusive), those still stored. */
async function intervening(iam: IAMClient, policyArn: string, after: number, to: number): Promise<string[]> {
  // At most the four versions before ours are still stored.
  const from = Math.max(after, to - 5);
  const lists = await Promise.all(
    Array.from({ length: Math.max(0, to - from - 1) }, (_, i) =>
      iam
        .send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: `v${from + i + 1}` }))
        .then((v) => listedInstances(v.PolicyVersion?.Document ?? '{}'))
        .catch((err: unknown) => {
          if (isIamError(err, 'NoSuchEntity')) return [];
          throw err;
        }),
    ),
  );
  return lists.flat();
}

/**
 * A managed policy keeps five versions; the next CreatePolicyVersion needs the oldest non-default one
 * deleted first (the default cannot be deleted). A concurrent writer may delete it first: NoSuchEntity
 * is the goal state. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
 */
async function makeRoom(iam: IAMClient, policyArn: string, ids: string[]): Promise<void> {
  const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
  const versions = listed.Versions ?? [];
  if (versions.length < 5) return;
  const oldest = versions
    .filter((v) => v.IsDefaultVersion !== true)
    .sort((a, b) => versionNumber(a.VersionId) - versionNumber(b.VersionId))[0];
  if (oldest?.VersionId === undefined) return;
  try {
    const r = await iam.send(
      new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: oldest.VersionId }),
    );
    ids.push(...requestIdsOf(r));
  } catch (err) {
    if (!isIamError(err, 'NoSuchEntity', 'DeleteConflict')) throw err;
  }
}

/**
 * Adds or removes one instance ARN in the account's quarantined-instances policy, safely against other
 * quarantines of the same account doing the same: IAM has no conditional write, so each round reads the
 * default version, writes the new list as a new default version, and then checks. A version number that
 * is not the one after the version read means another writer came in between and our list may lack its
 * instances: their additions are merged into the next round (never their removals: when in doubt an
 * instance stays denied). The round ends when the default version, read back, holds our change. IAM is
 * eventually consistent, so a stale read is retried with backoff like a conflict.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */
export async function changeQuarantinedInstances(
  iam: IAMClient,
  policyArn: string,
  change: PolicyChange,
  o: WriteOptions = {},
): Promise<PolicyWrite> {
  const sleep = o.sleep ?? delay;
  const ids: string[] = [];
  const adopted = new Set<string>();
  const sample = change.add ?? change.remove ?? '';
  const capacity = arnsThatFit(sample);
  const holds = (arns: ReadonlyArray<string>) =>
    (change.add === undefined || arns.includes(change.add)) &&
    (change.remove === undefined || !arns.includes(change.remove));
  const attempts = o.attempts ?? 10;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const current = await readDefault(iam, policyArn);
    const base = current?.arns ?? [];
    const next = [...new Set([...base, ...adopted, ...(change.add === undefined ? [] : [change.add])])]
      .filter((a) => a !== change.remove)
      .sort();
    if (current !== undefined && holds(base) && next.length === base.length)
      return { versionId: current.versionId, listed: base.length, capacity, requestIds: ids };
    if (current === undefined && change.add === undefined) return { listed: 0, capacity, requestIds: ids };
    const document = quarantinedInstancesPolicy(next);
    if (policyChars(document) > MANAGED_POLICY_MAX_CHARS)
      throw new QuarantinePolicyFullError(
        `${policyArn} is full: ${base.length} of ${capacity} instance ARNs fit in its ${MANAGED_POLICY_MAX_CHARS} characters`,
      );
    let written: string | undefined;
    try {
      if (current === undefined) {
        const r = await iam.send(
          new CreatePolicyCommand({
            PolicyName: QUARANTINE_POLICY_NAME,
            Path: QUARANTINE_POLICY_PATH,
            PolicyDocument: JSON.stringify(document),
            Description: 'Sequester: denies the credentials of quarantined instances (ec2:SourceInstanceARN)',
          }),
        );
        ids.push(...requestIdsOf(r));
        written = r.Policy?.DefaultVersionId ?? 'v1';
      } else {
        await makeRoom(iam, policyArn, ids);
        const r = await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: policyArn,
            PolicyDocument: JSON.stringify(document),
            SetAsDefault: true,
          }),
        );
        ids.push(...requestIdsOf(r));
        written = r.PolicyVersion?.VersionId;
      }
    } catch (err) {
      // Another writer created the policy, or filled the fifth version slot first: read again.
      if (isIamError(err, 'EntityAlreadyExists', 'LimitExceeded')) continue;
      throw err;
    }
    const from = versionNumber(current?.versionId);
    const to = versionNumber(written);
    if (to !== from + 1) for (const a of await intervening(iam, policyArn, from, to)) adopted.add(a);
    for (const a of adopted) if (a === change.remove) adopted.delete(a);
    const after = await readDefault(iam, policyArn);
    if (after !== undefined && holds(after.arns) && [...adopted].every((a) => after.arns.includes(a)))
      return { versionId: after.versionId, listed: after.arns.length, capacity, requestIds: ids };
  }
  throw new SequesterError(
    `${policyArn}: could not ${change.add === undefined ? `remove ${change.remove}` : `add ${change.add}`} after ${attempts} attempts`,
  );
}

export interface QuarantineDeny {
  readonly roleName: string;
  readonly policyArn: string;
  readonly instanceArn: string;
}

/** What verification finds wrong with an instance's deny: the role lacks the policy, or it lacks the ARN. */
export async function quarantineDenyMismatches(iam: IAMClient, d: QuarantineDeny): Promise<string[]> {
  const [attached, current] = await Promise.all([
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: d.roleName })),
    readDefault(iam, d.policyArn),
  ]);
  return [
    ...((attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === d.policyArn)
      ? []
      : [`role ${d.roleName} does not have ${d.policyArn} attached`]),
    ...(current?.arns.includes(d.instanceArn) === true
      ? []
      : [`${d.policyArn} does not list ${d.instanceArn}`]),
  ];
}
