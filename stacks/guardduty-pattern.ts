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
 * The EventBridge pattern of the GuardDuty rule: findings about an EC2 instance (decided on the resource
 * type, because Runtime Monitoring and attack-sequence findings name instances without `:EC2/` in their
 * type), not archived, at or above the severity floor, of an allowed type.
 *
 * A pattern field holds one list of alternatives, so an allow list and a deny list cannot both be
 * expressed on `type`: with an allow list the rule filters on it and intake applies the deny list; with
 * only a deny list the rule excludes those prefixes with `anything-but` wildcards.
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function guardDutyFindingPattern(f: FindingFilter): Record<string, unknown> {
  const type =
    f.findingTypeAllow.length > 0
      ? { type: f.findingTypeAllow.map((prefix) => ({ prefix })) }
      : f.findingTypeDeny.length > 0
        ? { type: [{ 'anything-but': { wildcard: f.findingTypeDeny.map(literalPrefix) } }] }
        : {};
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: {
      resource: { resourceType: ['Instance'] },
      severity: [{ numeric: ['>=', f.severityFloor] }],
      service: { archived: [false] },
      ...type,
    },
  };
}
