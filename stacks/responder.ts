import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type TaskArns, WORKFLOW_TASKS } from '../lambdas/core/workflow/definition';
import {
  type ArnContext,
  ledgerTableName,
  type ResponderResources,
  stateMachineArn,
  stateMachineName,
} from '../policies/arn-context';
import { flowLogAccess, trailAccess } from '../policies/investigation-statements';
import { LAMBDA_NAMES, type LambdaName, lambdaPolicy } from '../policies/responder-statements';
import type { SequesterConfig } from './config';
import { functionEnvironment, handlerEnvironment } from './handler-environment';
import { SIZING } from './lambda-sizing';
import { QuarantineWorkflow } from './quarantine-workflow';
import { ResponderFunction } from './responder-function';

export interface ResponderArgs {
  readonly config: SequesterConfig;
  readonly context: pulumi.Input<ArnContext>;
  /** The bundle of each entry point (`pulumi.asset.FileArchive` of its esbuild output directory). */
  readonly code: (handlerName: LambdaName) => pulumi.asset.Archive;
  readonly vaultBucketName: pulumi.Input<string>;
  readonly vaultBucketArn: pulumi.Input<string>;
  readonly vaultKeyArn: pulumi.Input<string>;
}

/** The trail and flow log buckets the activity step reads, scoped as configured (none without a bucket). */
function trailOf(c: ArnContext, cfg: SequesterConfig) {
  const trail = trailAccess(c, {
    buckets: cfg.trailBuckets,
    prefix: cfg.trailPrefix,
    organizationId: cfg.trailOrganizationId,
    trailName: cfg.trailName,
    kmsKeyArns: cfg.trailKmsKeyArns,
  });
  const flowLogs = flowLogAccess({ buckets: cfg.flowLogBuckets, kmsKeyArns: cfg.flowLogKmsKeyArns });
  return { ...(trail === undefined ? {} : { trail }), ...(flowLogs === undefined ? {} : { flowLogs }) };
}

/**
 * The responder: the ledger (point-in-time recovery on), the on-call topic, one least-privilege Lambda
 * per entry point, and the quarantine workflow that runs them.
 */
export class Responder extends pulumi.ComponentResource {
  public readonly ledger: aws.dynamodb.Table;
  public readonly topic: aws.sns.Topic;
  public readonly functions: Readonly<Record<LambdaName, ResponderFunction>>;
  public readonly workflow: QuarantineWorkflow;

  public constructor(name: string, args: ResponderArgs, opts?: pulumi.ComponentResourceOptions) {
    super('sequester:stacks:Responder', name, {}, opts);
    const parent = { parent: this };
    const cfg = args.config;
    const prefix = cfg.resourcePrefix;

    this.ledger = new aws.dynamodb.Table(
      `${name}-ledger`,
      {
        name: ledgerTableName(prefix),
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'pk',
        attributes: [{ name: 'pk', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: true,
      },
      parent,
    );
    this.topic = new aws.sns.Topic(`${name}-oncall`, { kmsMasterKeyId: 'alias/aws/sns' }, parent);
    cfg.notificationEmails.forEach((email, i) => {
      new aws.sns.TopicSubscription(
        `${name}-oncall-${i}`,
        { topic: this.topic.arn, protocol: 'email', endpoint: email },
        parent,
      );
    });

    const resources: pulumi.Output<ResponderResources> = pulumi
      .all([args.context, this.ledger.arn, args.vaultBucketArn, args.vaultKeyArn, this.topic.arn])
      .apply(([c, ledgerTableArn, vaultBucketArn, vaultKeyArn, topicArn]) => ({
        ledgerTableArn,
        vaultBucketArn,
        vaultKeyArn,
        topicArn,
        stateMachineArn: stateMachineArn(c, prefix),
        memberRoleName: cfg.memberRoleName,
        memberAccountIds: cfg.memberAccountIds,
        flowLogGroups: cfg.flowLogGroups,
        ...trailOf(c, cfg),
      }));
    const environment = pulumi
      .all([resources, args.vaultBucketName, args.context])
      .apply(([r, bucket, c]) => handlerEnvironment(cfg, r, bucket, c.accountId, c.region));

    const functions = {} as Record<LambdaName, ResponderFunction>;
    const snapshotLock = cfg.snapshotLockDays > 0;
    for (const handlerName of LAMBDA_NAMES) {
      functions[handlerName] = new ResponderFunction(
        `${name}-${handlerName}`,
        {
          handlerName,
          resourcePrefix: prefix,
          code: args.code(handlerName),
          policy: pulumi
            .all([args.context, resources])
            .apply(([c, r]) => lambdaPolicy(handlerName, c, r, { snapshotLock })),
          environment: pulumi
            .all([environment, args.context])
            .apply(([e, c]) => ({ ...e, ...functionEnvironment(handlerName, cfg, c.region) })),
          logRetentionDays: cfg.logRetentionDays,
          ...SIZING[handlerName],
          ...(handlerName === 'isolate' ? { provisionedConcurrency: cfg.isolateProvisionedConcurrency } : {}),
        },
        parent,
      );
    }
    this.functions = functions;

    const taskArns = Object.fromEntries(WORKFLOW_TASKS.map((t) => [t, functions[t].invokeArn])) as Record<
      keyof TaskArns,
      pulumi.Output<string>
    >;
    this.workflow = new QuarantineWorkflow(
      `${name}-workflow`,
      {
        stateMachineName: stateMachineName(prefix),
        resourcePrefix: prefix,
        config: {
          exportConcurrency: cfg.exportConcurrency,
          pollIntervalSeconds: 30,
          snapshotTimeoutHours: cfg.snapshotTimeoutHours,
          lateActivityDelaySeconds: cfg.lateActivityDelaySeconds,
        },
        taskArns,
        logRetentionDays: cfg.logRetentionDays,
      },
      parent,
    );
    this.registerOutputs({
      ledgerTableName: this.ledger.name,
      topicArn: this.topic.arn,
      stateMachineArn: this.workflow.stateMachine.arn,
    });
  }
}
