import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RESPONDER_PATH } from '../policies/arn-context';
import { onCallPolicy } from '../policies/human-roles';
import { humanTrust } from '../policies/trust-policies';
import { type FindingFilter, guardDutyFindingPattern } from './guardduty-pattern';

/** The API's routes (issue: on-call API); every one requires AWS_IAM (SigV4) authorization. */
export const API_ROUTES = [
  'POST /quarantines',
  'GET /quarantines',
  'GET /quarantines/{id}',
  'POST /quarantines/{id}/release',
] as const;

export interface TriggersArgs {
  readonly resourcePrefix: string;
  readonly findingFilter: FindingFilter;
  readonly intakeFunctionArn: pulumi.Input<string>;
  readonly intakeFunctionName: pulumi.Input<string>;
  readonly apiFunctionArn: pulumi.Input<string>;
  readonly apiFunctionName: pulumi.Input<string>;
  readonly throttleRate: number;
  readonly throttleBurst: number;
  readonly logRetentionDays: number;
  /** Principals allowed to assume the on-call role (MFA required). Default: the account root. */
  readonly onCallPrincipalArns: ReadonlyArray<string>;
}

/**
 * How a quarantine starts: GuardDuty findings through EventBridge, and on-call through an HTTP API that
 * only IAM principals granted `execute-api:Invoke` on it can call (the on-call role created here).
 */
export class Triggers extends pulumi.ComponentResource {
  public readonly rule: aws.cloudwatch.EventRule;
  public readonly api: aws.apigatewayv2.Api;
  public readonly routes: ReadonlyArray<aws.apigatewayv2.Route>;
  public readonly onCallRole: aws.iam.Role;

  public constructor(name: string, args: TriggersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:Triggers', name, {}, opts);
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;

    this.rule = new aws.cloudwatch.EventRule(
      `${name}-guardduty`,
      {
        description: 'GuardDuty findings about EC2 instances, to Sequester intake',
        eventPattern: JSON.stringify(guardDutyFindingPattern(args.findingFilter)),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-guardduty-intake`,
      {
        rule: this.rule.name,
        arn: args.intakeFunctionArn,
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-guardduty-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: args.intakeFunctionName,
        principal: 'events.amazonaws.com',
        sourceArn: this.rule.arn,
      },
      parent,
    );

    this.api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { protocolType: 'HTTP', description: 'Sequester on-call API (IAM authorization on every route)' },
      parent,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-api-lambda`,
      {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: args.apiFunctionArn,
        payloadFormatVersion: '2.0',
      },
      parent,
    );
    this.routes = API_ROUTES.map(
      (routeKey, i) =>
        new aws.apigatewayv2.Route(
          `${name}-route-${i}`,
          {
            apiId: this.api.id,
            routeKey,
            authorizationType: 'AWS_IAM',
            target: pulumi.interpolate`integrations/${integration.id}`,
          },
          parent,
        ),
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-api-access`,
      { retentionInDays: args.logRetentionDays },
      parent,
    );
    new aws.apigatewayv2.Stage(
      `${name}-api-stage`,
      {
        apiId: this.api.id,
        name: '$default',
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttleRate,
          throttlingBurstLimit: args.throttleBurst,
        },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          // The caller's IAM identity is in every line: who asked for what is auditable from the logs too.
          format: JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            caller: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
            ip: '$context.identity.sourceIp',
          }),
        },
      },
      { parent: this, dependsOn: [...this.routes] },
    );
    new aws.lambda.Permission(
      `${name}-api-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: args.apiFunctionName,
        principal: 'apigateway.amazonaws.com',
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/*`,
      },
      parent,
    );
    this.onCallRole = new aws.iam.Role(
      `${name}-oncall`,
      {
        name: `${args.resourcePrefix}-oncall`,
        path: RESPONDER_PATH,
        description: 'Sequester on-call: may call the Sequester API and nothing else',
        assumeRolePolicy: pulumi
          .all([identity.accountId, partition])
          .apply(([acct, p]) =>
            JSON.stringify(
              humanTrust(
                args.onCallPrincipalArns.length > 0
                  ? args.onCallPrincipalArns
                  : [`arn:${p}:iam::${acct}:root`],
                true,
              ),
            ),
          ),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-oncall-policy`,
      {
        role: this.onCallRole.id,
        policy: this.api.executionArn.apply((arn) => JSON.stringify(onCallPolicy(arn))),
      },
      parent,
    );
    this.registerOutputs({
      apiEndpoint: this.api.apiEndpoint,
      ruleArn: this.rule.arn,
      onCallRoleArn: this.onCallRole.arn,
    });
  }
}
