import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { createIsolationClients, createLedgerClients } from '../lambdas/core/clients';
import { DEFAULT_ENGINE_CONFIG } from '../lambdas/core/isolation/engine-config';
import { quarantine } from '../lambdas/core/isolation/isolate';
import { FaultLayer } from '../local-aws/fault-layer';
import { createLedgerTable } from '../local-aws/ledger-table';
import { LOCAL_CREDENTIALS, startMoto } from '../local-aws/moto-server';
import { buildScenario } from '../local-aws/scenario';
import { type Figure, round } from './figures';

const LATENCY_MS = 50;
const REGION = 'eu-west-1';

/**
 * Time and sequential round trips from the trigger to the network cut and to full isolation, with every
 * AWS call delayed 50 ms in front of moto. The VPC's quarantine groups already exist (a first quarantine
 * in the VPC created them), which is the steady state the target is set for.
 */
const bench = async (): Promise<Figure[]> => {
  const moto = await startMoto();
  try {
    const base = { region: REGION, endpoint: moto.endpoint, credentials: LOCAL_CREDENTIALS };
    const setup = createIsolationClients(base);
    const ledgerSetup = createLedgerClients(base, 'sequester-ledger');
    await createLedgerTable(ledgerSetup);
    const s = await buildScenario(setup, { secondEni: true, inService: true });
    const req = (instanceId: string) => ({
      instance: { instanceId, region: REGION },
      reason: 'bench',
      trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/bench' },
    });
    // The twin's quarantine creates the VPC's groups; the measured run finds them.
    await quarantine(setup, ledgerSetup, req(s.twinId), DEFAULT_ENGINE_CONFIG);

    const layer = new FaultLayer({ latencyMs: LATENCY_MS });
    const slow = { ...base, requestHandler: layer };
    const clients = createIsolationClients(slow);
    const ledger = createLedgerClients(slow, 'sequester-ledger');
    // Warm the clients (credential and endpoint resolution) so the figure is the steady state of a warm Lambda.
    await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const oneCallStart = layer.now();
    await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [s.instanceId] }));
    const oneCallMs = layer.now() - oneCallStart;
    layer.calls.length = 0;

    const t0 = layer.now();
    let cutAt = 0;
    const out = await quarantine(clients, ledger, req(s.instanceId), DEFAULT_ENGINE_CONFIG, {
      onNetworkCut: () => {
        cutAt = layer.now();
      },
    });
    const doneAt = layer.now();
    if (process.env.BENCH_TRACE)
      for (const c of layer.calls) console.log(c.operation, Math.round(c.start - t0), Math.round(c.end - t0));
    if (out.status !== 'isolated' || !out.verified)
      throw new Error(`bench quarantine ended ${JSON.stringify(out)}`);
    return [
      { name: 'isolation.single_call_ms_at_50ms', value: round(oneCallMs, 1), unit: 'ms' },
      {
        name: 'isolation.network_cut_round_trips',
        value: layer.sequentialRoundTrips(cutAt),
        unit: 'round trips',
      },
      { name: 'isolation.network_cut_ms_at_50ms', value: round(cutAt - t0, 1), unit: 'ms' },
      {
        name: 'isolation.full_isolation_round_trips',
        value: layer.sequentialRoundTrips(doneAt),
        unit: 'round trips',
      },
      { name: 'isolation.full_isolation_ms_at_50ms', value: round(doneAt - t0, 1), unit: 'ms' },
      { name: 'isolation.aws_calls', value: layer.calls.length, unit: 'calls' },
      // Load on this machine slows moto too: these ratios to one call measured in the same run are stabler.
      {
        name: 'isolation.network_cut_in_single_calls',
        value: round((cutAt - t0) / oneCallMs),
        unit: 'x single call',
      },
      {
        name: 'isolation.full_isolation_in_single_calls',
        value: round((doneAt - t0) / oneCallMs),
        unit: 'x single call',
      },
    ];
  } finally {
    await moto.stop();
  }
};

export default bench;
