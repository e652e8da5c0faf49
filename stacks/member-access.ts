import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type ArnContext, responderRoleArn } from '../policies/arn-context';
import { ACTS_IN_MEMBER_ACCOUNTS, memberAccessPolicy } from '../policies/responder-statements';
import { memberAccessTrust } from '../policies/trust-policies';

export interface MemberAccessArgs {
  /** The role's name; the responder assumes `arn:<partition>:iam::<member>:role/<roleName>`. */
  readonly roleName: string;
  /** The account the responder runs in, and its resource prefix (its role names derive from it). */
  readonly responderAccountId: string;
  readonly responderPrefix: string;
  /** CloudWatch Logs groups the activity step may read flow logs from (config `flowLogGroups`); default all. */
  readonly flowLogGroups?: ReadonlyArray<string>;
}

/**
 * Deployed into each member account (a second stack of this project, `stackKind: member`): the role the
 * responder assumes there, trusting only the responder's roles that act on instances (the responder
 * account root narrowed by `aws:PrincipalArn`, so this stack deploys before or after the responder and
 * survives a recreated responder role: policies/trust-policies.ts), allowing only what they do to
 * instances, volumes and snapshots in this account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
 */
export class MemberAccess extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;

  public constructor(name: string, args: MemberAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:MemberAccess', name, {}, opts);
    const parent = { parent: this };
    const context: pulumi.Output<ArnContext> = pulumi
      .all([aws.getPartitionOutput({}, parent).partition, aws.getCallerIdentityOutput({}, parent).accountId])
      .apply(([partition, accountId]) => ({ partition, accountId, region: '*' }));
    const trusted = context.apply((c) =>
      [...ACTS_IN_MEMBER_ACCOUNTS].map((lambda) =>
        responderRoleArn(
          { partition: c.partition, accountId: args.responderAccountId },
          args.responderPrefix,
          lambda,
        ),
      ),
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: 'Sequester responder access: contain and preserve compromised instances',
        maxSessionDuration: 3600,
        assumeRolePolicy: trusted.apply((arns) => JSON.stringify(memberAccessTrust(arns))),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: context.apply((c) =>
          JSON.stringify(
            memberAccessPolicy(
              c,
              args.flowLogGroups === undefined ? {} : { flowLogGroups: args.flowLogGroups },
            ),
          ),
        ),
      },
      parent,
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
