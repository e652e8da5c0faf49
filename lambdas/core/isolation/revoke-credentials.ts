import { DisassociateIamInstanceProfileCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, GetInstanceProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import { quarantinePolicyArn } from '../../../policies/quarantined-instances';
import { awsErrorName, SequesterError } from '../errors';
import { requestIdsOf } from '../request-ids';
import { changeQuarantinedInstances, isIamError, type WriteOptions } from './quarantined-policy';
import type { AttachmentsState } from './service-attachments';
import type { TargetInstance } from './target-instance';

/**
 * What the instance-scoped deny leaves open, recorded with every credential cut: `ec2:SourceInstanceARN`
 * is carried by requests signed with the instance profile's credentials; the documentation does not say
 * that a session the attacker obtained from them with sts:AssumeRole (role chaining) carries it, so such
 * sessions, created before the deny, are treated as not covered until they expire (at most one hour for a
 * chained session).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2sourceinstancearn
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export const CHAINED_SESSIONS_GAP =
  'sessions obtained with sts:AssumeRole from this instance credentials before the deny are not covered by ec2:SourceInstanceARN; they stay valid until they expire (role chaining: at most 1 hour)';

export interface CredentialChange {
  readonly roleName?: string;
  /** The account's quarantined-instances policy, and the ARN this quarantine listed in it. */
  readonly policyArn?: string;
  readonly instanceArn?: string;
  readonly listed?: number;
  readonly capacity?: number;
  readonly disassociated: boolean;
  readonly knownGap?: string;
  readonly requestIds: ReadonlyArray<string>;
}

export const profileNameFromArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The partition and account of an instance ARN (`arn:<partition>:ec2:<region>:<account>:instance/...`). */
export const quarantinePolicyArnFor = (instanceArn: string) => {
  const [, partition = 'aws', , , account = ''] = instanceArn.split(':');
  return quarantinePolicyArn(partition, account);
};

/**
 * Cuts the instance's IAM credentials: the profile is disassociated so no new credentials reach it, and
 * the credentials it already holds are denied by listing the instance in its account's one managed deny
 * policy (policies/quarantined-instances.ts), attached to the role (attaching an attached policy is a
 * no-op, so retries are safe). Sessions of the whole role are never revoked: other instances share it.
 */
export async function revokeCredentials(
  c: { ec2: EC2Client; iam: IAMClient },
  t: TargetInstance,
  s: AttachmentsState,
  o: WriteOptions = {},
): Promise<CredentialChange> {
  const assoc = s.profileAssociation;
  if (assoc === undefined) return { disassociated: false, requestIds: [] };
  const requestIds: string[] = [];
  const profile = await c.iam.send(
    new GetInstanceProfileCommand({ InstanceProfileName: profileNameFromArn(assoc.instanceProfileArn) }),
  );
  const roleName = profile.InstanceProfile?.Roles?.[0]?.RoleName;
  const policyArn = quarantinePolicyArnFor(t.instanceArn);
  const deny = async () => {
    if (roleName === undefined) return undefined;
    const w = await changeQuarantinedInstances(c.iam, policyArn, { add: t.instanceArn }, o);
    requestIds.push(...w.requestIds);
    try {
      const r = await c.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
      requestIds.push(...requestIdsOf(r));
    } catch (err) {
      // A role takes 10 managed policies by default (IAM quotas); the instance stays listed, harmlessly.
      if (!isIamError(err, 'LimitExceeded')) throw err;
      throw new SequesterError(
        `role ${roleName} already has the most managed policies IAM allows (10 managed policies by default): ${policyArn} cannot be attached, so the credentials issued to ${t.instanceId} stay valid until they expire`,
        { cause: err },
      );
    }
    return w;
  };
  const disassociate = async () => {
    try {
      const r = await c.ec2.send(
        new DisassociateIamInstanceProfileCommand({ AssociationId: assoc.associationId }),
      );
      requestIds.push(...requestIdsOf(r));
    } catch (err) {
      // Already gone on a retry: the goal state holds.
      if (awsErrorName(err) !== 'InvalidAssociationID.NotFound') throw err;
    }
  };
  const [w] = await Promise.all([deny(), disassociate()]);
  return {
    ...(roleName === undefined || w === undefined
      ? {}
      : {
          roleName,
          policyArn,
          instanceArn: t.instanceArn,
          listed: w.listed,
          capacity: w.capacity,
          knownGap: CHAINED_SESSIONS_GAP,
        }),
    disassociated: true,
    requestIds,
  };
}
