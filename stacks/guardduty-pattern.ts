/** What the GuardDuty rule lets through; intake applies the same filters again and records why it ignores. */
export interface FindingFilter {
  readonly severityFloor: number;
  /** Finding type prefixes to act on (`Backdoor:EC2/`); empty: every type. */
  readonly findingTypeAllow: ReadonlyArray<string>;
  /** Finding type prefixes never acted on. */
  readonly findingTypeDeny: ReadonlyArray<string>;
}

/** `*` and `\` are the only special characters of an EventBridge wildcard. */
const literalPrefix = (p: string) => `${p.replace(/[\\*]/g, (c) => `\\${c}`)}*`;

/**
 * The allow list the rule can filter on when a deny list is configured too. An EventBridge pattern field
 * holds one list of alternatives (OR); there is no AND of two conditions on one field, so "starts with an
 * allowed prefix and with no denied one" cannot be one pattern.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * What the rule can do is drop every allow prefix that a deny prefix covers (the allow prefix itself
 * starts with the deny prefix): every type it admits is denied. A deny prefix narrower than an allow
 * prefix (`Backdoor:EC2/` allowed, `Backdoor:EC2/DenialOfService` denied) stays with intake, which applies
 * the deny list to every finding again (lambdas/core/intake/decide.ts).
 */
export function effectiveAllow(f: Pick<FindingFilter, 'findingTypeAllow' | 'findingTypeDeny'>): string[] {
  return f.findingTypeAllow.filter((a) => !f.findingTypeDeny.some((d) => a.startsWith(d)));
}

/** Deny prefixes the rule cannot express because an allow prefix admits part of what they deny. */
export function denyLeftToIntake(f: Pick<FindingFilter, 'findingTypeAllow' | 'findingTypeDeny'>): string[] {
  if (f.findingTypeAllow.length === 0) return [];
  const allow = effectiveAllow(f);
  return f.findingTypeDeny.filter((d) => allow.some((a) => d.startsWith(a) && d !== a));
}

/**
 * The EventBridge pattern of the GuardDuty rule: findings about an EC2 instance (decided on the resource
 * type, because Runtime Monitoring and attack-sequence findings name instances without `:EC2/` in their
 * type) or about an instance's role session, not archived, at or above the severity floor, of an allowed type.
 *
 * With only a deny list the rule excludes those prefixes with `anything-but` wildcards. With an allow list
 * it filters on the allow prefixes minus those the deny list covers entirely (effectiveAllow); the deny
 * prefixes narrower than an allow prefix cannot be ANDed with it on the same field and are applied by
 * intake alone (denyLeftToIntake).
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function guardDutyFindingPattern(f: FindingFilter): Record<string, unknown> {
  const allow = effectiveAllow(f);
  if (f.findingTypeAllow.length > 0 && allow.length === 0) {
    throw new Error(
      'findingTypeDeny denies every finding type findingTypeAllow allows: the rule would match nothing',
    );
  }
  const type =
    allow.length > 0
      ? { type: allow.map((prefix) => ({ prefix })) }
      : f.findingTypeDeny.length > 0
        ? { type: [{ 'anything-but': { wildcard: f.findingTypeDeny.map(literalPrefix) } }] }
        : {};
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: {
      // Instance findings, and the credential-exfiltration findings of an instance's role session: their
      // resource type is AccessKey and the instance is named only by the session's principal id
      // (`<role id>:<instance id>`, EC2 names the session after the instance). Intake decides the rest.
      // https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html#unauthorizedaccess-iam-instancecredentialexfiltrationoutsideaws
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-complex-example-or
      $or: [
        { resource: { resourceType: ['Instance'] } },
        {
          resource: {
            resourceType: ['AccessKey'],
            accessKeyDetails: { principalId: [{ wildcard: '*:i-*' }] },
          },
        },
      ],
      severity: [{ numeric: ['>=', f.severityFloor] }],
      service: { archived: [false] },
      ...type,
    },
  };
}
