import { runLocalWorkflow } from '../../local-aws/local-workflow';

type Json = Record<string, unknown>;
const QID = 'q-0b7e9c4e-2f7a-4a61-9d0e-6a3c1f2b8d11';

/** The error Step Functions reports for a Lambda that timed out or ran out of memory. */
const lambdaUnknown = () =>
  Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Lambda.Unknown' });

/**
 * The deployed ASL run by aws-local-stepfunctions with every task faked (no AWS, no moto). Step
 * Functions reports a function timeout or an out-of-memory kill as `Lambda.Unknown`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html); an export
 * segment is idempotent, so one such failure must be retried, not fail the quarantine.
 */
async function run(segmentFailures: number) {
  let attempts = 0;
  const failures: Json[] = [];
  const pass = async (e: unknown) => e;
  const result = await runLocalWorkflow(
    { quarantineId: QID },
    {
      replace: {
        isolate: async (e) => ({ ...(e as Json), isolation: { status: 'isolated', verified: true } }),
        notify: pass,
        snapshot: async (e) => ({ ...(e as Json), snapshots: [] }),
        'poll-snapshots': async (e) => ({ ...(e as Json), allCompleted: true }),
        'plan-export': async (e) => ({ ...(e as Json), segments: [{ image: 0, firstPart: 1, lastPart: 4 }] }),
        'export-segment': async () => {
          attempts += 1;
          if (attempts <= segmentFailures) throw lambdaUnknown();
          return { parts: 4 };
        },
        'complete-export': pass,
        'seal-manifest': pass,
        'investigate-activity': pass,
        'investigate-reach': pass,
        'investigate-exposure': pass,
        'issue-report': pass,
        'record-failure': async (e) => {
          failures.push(e as Json);
          return { recorded: true };
        },
      },
    },
  );
  return { result, attempts, failures };
}

describe('Export segment retries (ASL run locally, tasks faked)', () => {
  it('retries a segment that failed with Lambda.Unknown (timeout or out of memory) and completes', async () => {
    const { result, attempts, failures } = await run(1);
    expect(failures).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
  });

  it('records the failure when the segment keeps failing with Lambda.Unknown', async () => {
    const { result, attempts, failures } = await run(Number.POSITIVE_INFINITY);
    expect(result.status).toBe('FAILED');
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(4);
    expect(failures).toEqual([
      {
        quarantineId: QID,
        step: 'export-segment',
        error: expect.objectContaining({ Error: 'Lambda.Unknown' }),
      },
    ]);
  });
});
