import { runLocalWorkflow } from '../../local-aws/local-workflow';

type Json = Record<string, unknown>;
const QID = 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11';
const pass = async (e: unknown) => e;
const denied = async () => {
  throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
};

/**
 * The deployed ASL run by aws-local-stepfunctions with every task faked (no AWS, no moto): the
 * investigation branch beside the evidence branch, and the steps after sealing.
 */
async function run(investigation: (e: unknown) => Promise<unknown>) {
  const inputs: Array<{ task: string; input: Json }> = [];
  const seen =
    (task: string, fn: (e: unknown) => Promise<unknown>) =>
    async (e: unknown): Promise<unknown> => {
      inputs.push({ task, input: e as Json });
      return fn(e);
    };
  const result = await runLocalWorkflow(
    { quarantineId: QID },
    {
      replace: {
        isolate: async (e) => ({ ...(e as Json), isolation: { status: 'isolated', verified: true } }),
        notify: pass,
        snapshot: async (e) => ({ ...(e as Json), snapshots: [] }),
        'poll-snapshots': async (e) => ({ ...(e as Json), allCompleted: true }),
        'plan-export': async (e) => ({ ...(e as Json), segments: [] }),
        'complete-export': pass,
        'seal-manifest': async (e) => ({ ...(e as Json), manifestKey: 'evidence/m.json' }),
        'investigate-activity': seen('investigate-activity', investigation),
        'investigate-reach': seen('investigate-reach', investigation),
        'investigate-exposure': seen('investigate-exposure', investigation),
        'issue-report': seen('issue-report', investigation),
        'record-failure': async () => ({ recorded: true }),
      },
    },
  );
  return { result, inputs };
}

describe('Investigation branch (ASL run locally, tasks faked)', () => {
  it('runs activity, reach and exposure beside the evidence, then the report, the late pass and the report again', async () => {
    // Act
    const { result, inputs } = await run(pass);
    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const order = result.tasks.filter((t) => t !== 'notify');
    expect(order.indexOf('investigate-exposure')).toBeLessThan(order.indexOf('seal-manifest'));
    expect(order.slice(order.indexOf('seal-manifest'))).toEqual([
      'seal-manifest',
      'issue-report',
      'investigate-activity',
      'issue-report',
    ]);
    expect(inputs.map((i) => i.input)).toEqual([
      { quarantineId: QID, pass: 'initial' },
      { quarantineId: QID },
      { quarantineId: QID },
      { quarantineId: QID, pass: 'initial' },
      { quarantineId: QID, pass: 'late' },
      { quarantineId: QID, pass: 'late' },
    ]);
    // The investigation's results never reach the state: the output is the sealed evidence's.
    expect(result.output).toEqual({
      quarantineId: QID,
      isolation: { status: 'isolated', verified: true },
      manifestKey: 'evidence/m.json',
    });
  });

  it('seals and succeeds when every investigation and report task fails', async () => {
    const { result, inputs } = await run(denied);
    expect({ status: result.status, error: result.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    expect(result.tasks).toContain('seal-manifest');
    expect(result.tasks).not.toContain('record-failure');
    expect(inputs).toHaveLength(6);
  });
});
