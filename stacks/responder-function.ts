import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RESPONDER_PATH, responderRoleName } from '../policies/arn-context';
import type { PolicyDocument } from '../policies/policy-document';
import { lambdaTrust } from '../policies/trust-policies';
import { DEFAULT_TIMEOUT_SECONDS } from './lambda-sizing';

export interface ResponderFunctionArgs {
  /** Entry point name: `lambdas/handlers/<handlerName>.ts`. */
  readonly handlerName: string;
  readonly resourcePrefix: string;
  /** The esbuild bundle directory of this entry point (index.js + index.js.map). */
  readonly code: pulumi.asset.Archive;
  /** The role's statements (least privilege, from policies/). CloudWatch Logs access is added here. */
  readonly policy: pulumi.Input<PolicyDocument>;
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly logRetentionDays: number;
  /** Default 60 s, 512 MB. */
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Warm instances kept ready (0: none). Requires a published version, exposed as the `live` alias. */
  readonly provisionedConcurrency?: number;
}

/**
 * One responder Lambda: Node.js 22 on arm64, its own role and log group. The role may only write to its
 * own log group, so no AWSLambdaBasicExecutionRole (which allows every log group of the account).
 */
export class ResponderFunction extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly function: aws.lambda.Function;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** The ARN to invoke: the `live` alias when provisioned concurrency is on, else the function. */
  public readonly invokeArn: pulumi.Output<string>;

  public constructor(name: string, args: ResponderFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:ResponderFunction', name, {}, opts);
    const parent = { parent: this };
    const fnName = `${args.resourcePrefix}-${args.handlerName}`;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${fnName}`, retentionInDays: args.logRetentionDays },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: responderRoleName(args.resourcePrefix, args.handlerName),
        path: RESPONDER_PATH,
        assumeRolePolicy: account.apply((a) => JSON.stringify(lambdaTrust(a))),
      },
      parent,
    );
    const policy = pulumi.all([pulumi.output(args.policy), this.logGroup.arn]).apply(([doc, logArn]) =>
      JSON.stringify({
        ...doc,
        Statement: [
          ...doc.Statement,
          {
            Sid: 'OwnLogGroup',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logArn}:*`,
          },
        ],
      }),
    );
    const rolePolicy = new aws.iam.RolePolicy(`${name}-policy`, { role: this.role.id, policy }, parent);
    const provisioned = args.provisionedConcurrency ?? 0;
    this.function = new aws.lambda.Function(
      name,
      {
        name: fnName,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ['arm64'],
        handler: 'index.handler',
        code: args.code,
        role: this.role.arn,
        timeout: args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        memorySize: args.memoryMb ?? 512,
        publish: provisioned > 0,
        environment: {
          variables: pulumi
            .output(args.environment)
            .apply((env) => ({ NODE_OPTIONS: '--enable-source-maps', ...env })),
        },
        loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      },
      { parent: this, dependsOn: [rolePolicy, this.logGroup] },
    );
    if (provisioned > 0) {
      const alias = new aws.lambda.Alias(
        `${name}-live`,
        { name: 'live', functionName: this.function.name, functionVersion: this.function.version },
        parent,
      );
      new aws.lambda.ProvisionedConcurrencyConfig(
        `${name}-provisioned`,
        {
          functionName: this.function.name,
          qualifier: alias.name,
          provisionedConcurrentExecutions: provisioned,
        },
        parent,
      );
      this.invokeArn = alias.arn;
    } else {
      this.invokeArn = this.function.arn;
    }
    this.registerOutputs({
      functionArn: this.function.arn,
      invokeArn: this.invokeArn,
      roleArn: this.role.arn,
    });
  }
}
