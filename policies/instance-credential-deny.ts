import type { PolicyDocument } from './policy-document';

/** Name of the inline policy that denies one quarantined instance's role credentials. */
export const credentialDenyPolicyName = (instanceId: string) => `sequester-deny-${instanceId}`;

/**
 * Denies everything to credentials delivered to one instance, and only to them: requests signed with
 * instance-profile credentials carry `ec2:SourceInstanceARN`, so other instances sharing the role keep
 * working. Credentials already on the instance stay valid for hours; this deny stops them now.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2sourceinstancearn
 */
export function instanceCredentialDeny(instanceArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SequesterQuarantine',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'ec2:SourceInstanceARN': instanceArn } },
      },
    ],
  };
}
