import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { StepFailedError } from '../lambdas/core/errors';
import type { StartResult, WorkflowStart, WorkflowStarter } from '../lambdas/core/intake/workflow-starter';
import { DEFAULT_WORKFLOW_CONFIG } from '../lambdas/core/workflow/definition';
import type { Enforcer } from '../local-aws/iam/enforcer';
import { configureLocalDeployment } from '../local-aws/iam/local-enforcement';
import { installRoleCredentials } from '../local-aws/iam/role-credentials';
import { runLocalWorkflow } from '../local-aws/local-workflow';
import { LOCAL_CREDENTIALS } from '../local-aws/moto-server';
import { TRAIL_BUCKET } from './attacker-trail';
import { DEMO_REGION, type DemoAccount, LEDGER_TABLE } from './demo-account';

/** Seconds before the late activity pass in the demo (20 minutes when deployed). */
export const LATE_ACTIVITY_DELAY_SECONDS = 3;

/**
 * The response workflow for the demo, started by the real intake the way Step Functions is: start()
 * returns at once and the execution runs on. It is the deployed state machine (the same ASL) run
 * locally by aws-local-stepfunctions, every task bound to its real handler in lambdas/handlers, which
 * read the same environment variables the stack gives them, pointed at the emulator.
 */
export class DemoWorkflow implements WorkflowStarter {
  private readonly runs = new Map<string, Promise<void>>();
  private configured?: Promise<void>;

  public constructor(
    private readonly account: DemoAccount,
    private readonly enforcer: Enforcer,
  ) {}

  public async start(q: WorkflowStart): Promise<StartResult> {
    const executionId = `local:${q.quarantineId}`;
    if (this.runs.has(q.quarantineId)) return { executionId, alreadyStarted: true };
    this.runs.set(q.quarantineId, this.run(q.quarantineId));
    return { executionId, alreadyStarted: false };
  }

  /** Settles when the quarantine's execution has finished (rejects with its error when it FAILED). */
  public finished(quarantineId: string): Promise<void> {
    return this.runs.get(quarantineId) ?? Promise.reject(new Error(`no workflow for ${quarantineId}`));
  }

  /** Configures the handlers' environment and the local roles (once); the intake needs its role first. */
  public ready(): Promise<void> {
    this.configured ??= this.configureHandlers();
    return this.configured;
  }

  private async run(quarantineId: string): Promise<void> {
    await this.ready();
    // The late activity pass waits a few seconds here instead of CloudTrail's 20 minutes.
    const result = await runLocalWorkflow(
      { quarantineId },
      { config: { ...DEFAULT_WORKFLOW_CONFIG, lateActivityDelaySeconds: LATE_ACTIVITY_DELAY_SECONDS } },
    );
    if (result.status !== 'SUCCEEDED') {
      if (process.env.SEQUESTER_DEBUG === '1')
        process.stderr.write(`${JSON.stringify(result.events.filter((e) => /Fail/.test(e.type)))}\n`);
      throw new StepFailedError(`the workflow FAILED: ${result.error ?? 'unknown error'}`, 'workflow');
    }
  }

  /** The handlers' environment as the stack sets it (stacks/handler-environment.ts), aimed at moto. */
  private async configureHandlers(): Promise<void> {
    const a = this.account;
    const sns = new SNSClient(a.opts);
    const topic = await sns.send(new CreateTopicCommand({ Name: 'sequester-oncall' }));
    Object.assign(process.env, {
      AWS_REGION: DEMO_REGION,
      AWS_ENDPOINT_URL: a.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      LEDGER_TABLE,
      TOPIC_ARN: topic.TopicArn ?? '',
      VAULT_BUCKET: a.vaultBucket,
      // A short retention: the demo's vault is thrown away with the emulator.
      RETENTION_DAYS: '1',
      LEGAL_HOLD: 'false',
      // The scenario's trail bucket (demo/attacker-trail.ts), read by the activity step.
      TRAIL_BUCKETS: TRAIL_BUCKET,
      COVERED_REGIONS: DEMO_REGION,
    });
    // Every task signs with its own Lambda role (local-workflow.ts binds it), and the IAM-enforcing
    // local AWS holds those roles as the stack renders them for this environment.
    installRoleCredentials();
    configureLocalDeployment(this.enforcer, { ...process.env });
  }
}
