import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { renderDefinition, type TaskArns, type WorkflowConfig } from '../lambdas/core/workflow/definition';
import { RESPONDER_PATH } from '../policies/arn-context';
import { serviceTrust } from '../policies/trust-policies';

export interface QuarantineWorkflowArgs {
  readonly stateMachineName: string;
  readonly resourcePrefix: string;
  readonly config: WorkflowConfig;
  /** The ARN Step Functions invokes for each task (function or `live` alias). */
  readonly taskArns: pulumi.Input<Readonly<Record<keyof TaskArns, pulumi.Input<string>>>>;
  readonly logRetentionDays: number;
}

/**
 * The quarantine state machine (standard workflow: exactly-once steps, a year of run time, and an
 * execution name per quarantine id that refuses a duplicate start). Its role may invoke only the task
 * functions and deliver its own logs.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html
 */
export class QuarantineWorkflow extends pulumi.ComponentResource {
  public readonly stateMachine: aws.sfn.StateMachine;
  public readonly role: aws.iam.Role;

  public constructor(name: string, args: QuarantineWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:QuarantineWorkflow', name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const arns = pulumi.output(args.taskArns) as pulumi.Output<TaskArns>;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/vendedlogs/states/${args.stateMachineName}`, retentionInDays: args.logRetentionDays },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: `${args.resourcePrefix}-workflow`,
        path: RESPONDER_PATH,
        assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrust('states.amazonaws.com', a))),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: arns.apply((a) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'InvokeTasks',
                Effect: 'Allow',
                Action: 'lambda:InvokeFunction',
                Resource: [...new Set(Object.values(a))],
              },
              {
                // Log delivery actions support no resource-level permissions.
                // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
                Sid: 'DeliverLogs',
                Effect: 'Allow',
                Action: [
                  'logs:CreateLogDelivery',
                  'logs:GetLogDelivery',
                  'logs:UpdateLogDelivery',
                  'logs:DeleteLogDelivery',
                  'logs:ListLogDeliveries',
                  'logs:PutResourcePolicy',
                  'logs:DescribeResourcePolicies',
                  'logs:DescribeLogGroups',
                ],
                Resource: '*',
              },
            ],
          }),
        ),
      },
      parent,
    );
    this.stateMachine = new aws.sfn.StateMachine(
      name,
      {
        name: args.stateMachineName,
        type: 'STANDARD',
        roleArn: this.role.arn,
        definition: arns.apply((a) => renderDefinition(args.config, a)),
        loggingConfiguration: {
          level: 'ERROR',
          includeExecutionData: false,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn });
  }
}
