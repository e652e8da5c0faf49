import { DisassociateIamInstanceProfileCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, type IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { credentialDenyPolicyName, instanceCredentialDeny } from '../../../policies/instance-credential-deny';
import { awsErrorName } from '../errors';
import { requestIdsOf } from '../request-ids';
import type { AttachmentsState } from './service-attachments';
import type { TargetInstance } from './target-instance';

export interface CredentialChange {
  readonly roleName?: string;
  readonly denyPolicyName?: string;
  readonly disassociated: boolean;
  readonly requestIds: ReadonlyArray<string>;
}

export const profileNameFromArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * Cuts the instance's IAM credentials: the profile is disassociated so no new credentials reach it, and
 * the credentials it already holds are denied with an inline policy on the role scoped to this instance.
 * Sessions of the whole role are never revoked: other instances share it.
 */
export async function revokeCredentials(
  c: { ec2: EC2Client; iam: IAMClient },
  t: TargetInstance,
  s: AttachmentsState,
): Promise<CredentialChange> {
  const assoc = s.profileAssociation;
  if (assoc === undefined) return { disassociated: false, requestIds: [] };
  const requestIds: string[] = [];
  const profile = await c.iam.send(
    new GetInstanceProfileCommand({ InstanceProfileName: profileNameFromArn(assoc.instanceProfileArn) }),
  );
  const roleName = profile.InstanceProfile?.Roles?.[0]?.RoleName;
  const deny = async () => {
    if (roleName === undefined) return;
    const r = await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: credentialDenyPolicyName(t.instanceId),
        PolicyDocument: JSON.stringify(instanceCredentialDeny(t.instanceArn)),
      }),
    );
    requestIds.push(...requestIdsOf(r));
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
  await Promise.all([deny(), disassociate()]);
  return {
    ...(roleName === undefined ? {} : { roleName, denyPolicyName: credentialDenyPolicyName(t.instanceId) }),
    disassociated: true,
    requestIds,
  };
}
