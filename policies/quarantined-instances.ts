import { RESPONDER_PATH } from './arn-context';
import { type PolicyDocument, policyDocumentText } from './policy-document';

/**
 * One customer-managed policy per account denies every quarantined instance's role credentials. Inline
 * policies of a role share 10,240 characters, so one inline deny per instance fails with LimitExceeded
 * after a few dozen instances of one fleet role; a managed policy is 6,144 characters on its own and is
 * attached once per role. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const QUARANTINE_POLICY_NAME = 'sequester-quarantined-instances';
export const QUARANTINE_POLICY_PATH = RESPONDER_PATH;
export const quarantinePolicyArn = (partition: string, accountId: string) =>
  `arn:${partition}:iam::${accountId}:policy${QUARANTINE_POLICY_PATH}${QUARANTINE_POLICY_NAME}`;

/** "Managed policy size: 6,144 characters"; IAM does not count white space (IAM quotas page). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The value an emptied policy holds: not an ARN, so `ec2:SourceInstanceARN` never equals it. */
const NO_INSTANCE = 'none';

/**
 * Denies everything to credentials delivered to the listed instances, and only to them: requests signed
 * with instance-profile credentials carry `ec2:SourceInstanceARN`, so other instances sharing a role keep
 * working. Credentials already on an instance stay valid for hours; this deny stops them now. The list is
 * sorted and deduplicated so a set always renders the same document.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2sourceinstancearn
 */
export function quarantinedInstancesPolicy(instanceArns: ReadonlyArray<string>): PolicyDocument {
  const listed = [...new Set(instanceArns)].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SequesterQuarantinedInstances',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringEquals: { 'ec2:SourceInstanceARN': listed.length === 0 ? [NO_INSTANCE] : listed },
        },
      },
    ],
  };
}

/** Characters of a document as IAM counts them against the quota (white space excluded). */
export const policyChars = (doc: PolicyDocument) => JSON.stringify(doc).replace(/\s/g, '').length;

/**
 * How many instance ARNs as long as `sampleArn` fit in one policy: every ARN of a region and account has
 * the same length (17-character instance ids), so this is the policy's capacity for them.
 */
export function arnsThatFit(sampleArn: string): number {
  const base = policyChars(quarantinedInstancesPolicy([sampleArn]));
  // Each further ARN adds its quoted text and a comma.
  return 1 + Math.floor((MANAGED_POLICY_MAX_CHARS - base) / (sampleArn.length + 3));
}

/**
 * The instance ARNs a version's document lists. GetPolicyVersion returns the document URL-encoded
 * (RFC 3986). https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
 */
export function listedInstances(document: string): string[] {
  const doc = JSON.parse(policyDocumentText(document)) as {
    Statement?: ReadonlyArray<{ Condition?: { StringEquals?: Record<string, unknown> } }>;
  };
  const values = (doc.Statement ?? []).flatMap((s) => {
    const v = s.Condition?.StringEquals?.['ec2:SourceInstanceARN'];
    return typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
  });
  return [...new Set(values.filter((v) => v.startsWith('arn:')))].sort();
}
