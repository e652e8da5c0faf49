import * as z from 'zod/mini';

/** Who or what asked for the quarantine. Automatic triggers are bound by the exemption tag. */
export const Trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api'), principalArn: z.string().check(z.minLength(1), z.maxLength(2048)) }),
  z.object({
    kind: z.literal('guardduty'),
    findingId: z.string().check(z.regex(/^[A-Za-z0-9]{1,128}$/, 'must be a GuardDuty finding id')),
    findingType: z.optional(z.string().check(z.maxLength(256))),
  }),
  z.object({ kind: z.literal('cli'), principalArn: z.string().check(z.minLength(1), z.maxLength(2048)) }),
]);
export type Trigger = z.infer<typeof Trigger>;

/**
 * GuardDuty's instance-credential exfiltration findings (`.OutsideAWS`, `.InsideAWS`) have resource type
 * AccessKey and name the instance only through the session: EC2 names the role session after the
 * instance, so `accessKeyDetails.principalId` is `<role id>:<instance id>`. The finding's `region` is the
 * Region where GuardDuty generated it, a fact about the credentials' use, not about the instance: the
 * stolen keys work from any Region.
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html#unauthorizedaccess-iam-instancecredentialexfiltrationoutsideaws
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html#unauthorizedaccess-iam-instancecredentialexfiltrationinsideaws
 */
export const CREDENTIAL_EXFILTRATION =
  /^UnauthorizedAccess:IAMUser\/InstanceCredentialExfiltration\.(OutsideAWS|InsideAWS)$/;

/** A request from a credential-exfiltration finding: its region is the finding's, maybe not the instance's. */
export function isCredentialExfiltration(t: Trigger): boolean {
  return t.kind === 'guardduty' && CREDENTIAL_EXFILTRATION.test(t.findingType ?? '');
}
