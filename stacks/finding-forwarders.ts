import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RESPONDER_PATH } from '../policies/arn-context';
import { defaultBusArn, forwarderPolicy } from '../policies/event-forwarding';
import { serviceTrust } from '../policies/trust-policies';
import { type FindingFilter, guardDutyFindingPattern } from './guardduty-pattern';

export interface FindingForwardersArgs {
  readonly resourcePrefix: string;
  /** The stack's own region (`aws:region`), where intake's rule and the workflow run. */
  readonly homeRegion: string;
  /** Other regions whose findings are forwarded home; the home region itself is skipped. */
  readonly regions: ReadonlyArray<string>;
  /** The same filter as the home rule's: each region's rule lets through exactly what the home rule does. */
  readonly findingFilter: FindingFilter;
}

/**
 * GuardDuty sends a finding to EventBridge in the Region where it was generated, and a rule matches only
 * its own Region's bus. So each other covered Region gets a rule with the home rule's pattern, on its
 * default bus, through a provider of that Region, whose target is the home Region's default bus; the
 * home rule then matches the forwarded finding like a local one (its `source` and `detail` are kept).
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-guardduty.html
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export class FindingForwarders extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly rules: Readonly<Record<string, aws.cloudwatch.EventRule>>;

  public constructor(name: string, args: FindingForwardersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:FindingForwarders', name, {}, opts);
    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;
    const homeBus = pulumi
      .all([partition, accountId])
      .apply(([p, a]) => defaultBusArn(p, args.homeRegion, a));
    const regions = [...new Set(args.regions)].filter((r) => r !== args.homeRegion);
    // Retries are EventBridge's defaults (185 attempts over 24 hours), as on the home rule's target.
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: `${args.resourcePrefix}-finding-forwarder`,
        path: RESPONDER_PATH,
        description: 'Sequester: forwards GuardDuty findings of other regions to the home event bus',
        assumeRolePolicy: accountId.apply((a) => JSON.stringify(serviceTrust('events.amazonaws.com', a))),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: this.role.id, policy: homeBus.apply((arn) => JSON.stringify(forwarderPolicy(arn))) },
      parent,
    );
    const rules: Record<string, aws.cloudwatch.EventRule> = {};
    for (const region of regions) {
      const provider = new aws.Provider(`${name}-${region}`, { region: region as aws.Region }, parent);
      const inRegion = { parent: this, provider };
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${region}`,
        {
          description: `GuardDuty findings about EC2 instances in ${region}, to the Sequester home region`,
          eventPattern: JSON.stringify(guardDutyFindingPattern(args.findingFilter)),
        },
        inRegion,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${region}-home`,
        { rule: rule.name, arn: homeBus, roleArn: this.role.arn },
        inRegion,
      );
      rules[region] = rule;
    }
    this.rules = rules;
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
