import { performance } from 'node:perf_hooks';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createLedgerClients } from '../lambdas/core/clients';
import { decideIntake } from '../lambdas/core/intake/decide';
import { defaultIntakeConfig } from '../lambdas/core/intake/intake-config';
import { intakeFinding } from '../lambdas/core/intake/intake-finding';
import { StepFunctionsStarter } from '../lambdas/core/intake/workflow-starter';
import { FaultLayer } from '../local-aws/fault-layer';
import { createLedgerTable } from '../local-aws/ledger-table';
import { LOCAL_CREDENTIALS, startMoto } from '../local-aws/moto-server';
import { finding, setPath } from '../test/unit/intake/fixtures';
import { type Figure, round } from './figures';

const REGION = 'eu-west-1';
const LATENCY_MS = 50;
const DECISIONS = 2000;

/** Mean microseconds of `fn` over `n` runs. */
function micros(n: number, fn: (i: number) => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - t0) * 1000) / n;
}

/**
 * What the intake adds before the workflow starts: the decision (CPU, against a bare JSON.parse of the
 * same event as the baseline) and the round trips from a finding to StartExecution (claim, start) with
 * every AWS call delayed 50 ms in front of moto, against one call measured in the same run.
 */
const bench = async (): Promise<Figure[]> => {
  const raw = JSON.stringify(finding('ec2-runtime-reverse-shell-hostile-process.json'));
  const parseUs = micros(DECISIONS, () => JSON.parse(raw));
  const decideUs = micros(DECISIONS, () => decideIntake(JSON.parse(raw)));
  const moto = await startMoto();
  try {
    const base = { region: REGION, endpoint: moto.endpoint, credentials: LOCAL_CREDENTIALS };
    await createLedgerTable(createLedgerClients(base, 'sequester-ledger'));
    const sm = await new SFNClient(base).send(
      new CreateStateMachineCommand({
        name: 'sequester-response',
        roleArn: 'arn:aws:iam::123456789012:role/sequester-workflow',
        definition: JSON.stringify({ StartAt: 'Isolate', States: { Isolate: { Type: 'Pass', End: true } } }),
      }),
    );
    const layer = new FaultLayer({ latencyMs: LATENCY_MS });
    const slow = { ...base, requestHandler: layer };
    const ledger = createLedgerClients(slow, 'sequester-ledger');
    const starter = new StepFunctionsStarter(new SFNClient(slow), sm.stateMachineArn ?? '');
    const deps = { ledger, starter, config: defaultIntakeConfig() };
    const event = (i: number) =>
      setPath(
        finding('ec2-backdoor-c2-activity-dns.json'),
        'detail.resource.instanceDetails.instanceId',
        `i-${String(i).padStart(17, '0')}`,
      );
    // Warm both clients (credentials, endpoints), then time one call as the unit.
    await intakeFinding(deps, event(1));
    const getItem = new GetItemCommand({ TableName: 'sequester-ledger', Key: { pk: { S: 'none' } } });
    const c0 = layer.now();
    await ledger.ddb.send(getItem);
    const oneCallMs = layer.now() - c0;
    layer.calls.length = 0;
    const t0 = layer.now();
    const out = await intakeFinding(deps, event(2));
    const startedMs = layer.now() - t0;
    if (out.status !== 'started') throw new Error(`bench intake ended ${out.status}`);
    return [
      { name: 'intake.decide_us', value: round(decideUs, 1), unit: 'us' },
      { name: 'intake.json_parse_baseline_us', value: round(parseUs, 1), unit: 'us' },
      {
        name: 'intake.to_workflow_start_round_trips',
        value: layer.sequentialRoundTrips(t0 + startedMs),
        unit: 'round trips',
      },
      { name: 'intake.to_workflow_start_ms_at_50ms', value: round(startedMs, 1), unit: 'ms' },
      {
        name: 'intake.to_workflow_start_in_single_calls',
        value: round(startedMs / oneCallMs),
        unit: 'x single call',
      },
    ];
  } finally {
    await moto.stop();
  }
};

export default bench;
