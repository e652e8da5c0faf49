import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { StepFunctionsStarter } from '../../../lambdas/core/intake/workflow-starter';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:sequester-response';
const Q = {
  quarantineId: 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11',
  instance: { instanceId: 'i-0abc1234def567890', region: 'eu-west-1' },
};

describe('Class: StepFunctionsStarter', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());

  it('starts one execution named after the quarantine with only its id as input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
    // Act
    const r = await new StepFunctionsStarter(new SFNClient({ region: 'eu-west-1' }), ARN).start(Q);
    // Assess
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: ARN,
      name: Q.quarantineId,
      input: JSON.stringify({ quarantineId: Q.quarantineId }),
    });
    expect(r).toEqual({ executionId: `${ARN}:x`, alreadyStarted: false });
  });

  it('treats ExecutionAlreadyExists as already started', async () => {
    const err = Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' });
    sfn.on(StartExecutionCommand).rejects(err);
    const r = await new StepFunctionsStarter(new SFNClient({ region: 'eu-west-1' }), ARN).start(Q);
    expect(r).toEqual({
      executionId: `arn:aws:states:eu-west-1:123456789012:execution:sequester-response:${Q.quarantineId}`,
      alreadyStarted: true,
    });
  });

  it('rethrows other errors so the trigger is retried', async () => {
    const err = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    sfn.on(StartExecutionCommand).rejects(err);
    const starter = new StepFunctionsStarter(new SFNClient({ region: 'eu-west-1', maxAttempts: 1 }), ARN);
    await expect(starter.start(Q)).rejects.toThrow('slow down');
  });
});
