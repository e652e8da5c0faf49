import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsErrorName } from '../errors';
import type { InstanceRef } from '../ledger/record';

/** The quarantine a workflow is started for. The workflow's own input is only `{ quarantineId }`. */
export interface WorkflowStart {
  readonly quarantineId: string;
  readonly instance: InstanceRef;
}

export interface StartResult {
  readonly executionId: string;
  /** true when this quarantine's workflow had been started before (a duplicate or retried trigger). */
  readonly alreadyStarted: boolean;
}

/** Starts the response workflow of a claimed quarantine. Idempotent per quarantineId. */
export interface WorkflowStarter {
  start(q: WorkflowStart): Promise<StartResult>;
}

/**
 * Starts the Step Functions state machine with the execution named after the quarantineId. Step Functions
 * answers a repeated name with the same input while the execution runs with success, and with
 * ExecutionAlreadyExists once it has closed (or for a different input): both mean "already started".
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export class StepFunctionsStarter implements WorkflowStarter {
  public constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  public async start(q: WorkflowStart): Promise<StartResult> {
    try {
      const r = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: q.quarantineId,
          input: JSON.stringify({ quarantineId: q.quarantineId }),
        }),
      );
      return { executionId: r.executionArn ?? this.executionArn(q.quarantineId), alreadyStarted: false };
    } catch (err) {
      if (awsErrorName(err) !== 'ExecutionAlreadyExists') throw err;
      return { executionId: this.executionArn(q.quarantineId), alreadyStarted: true };
    }
  }

  /** arn:aws:states:<region>:<account>:stateMachine:<name> -> ...:execution:<name>:<executionName> */
  private executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
