import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createIsolationClients, createLedgerClients } from '../lambdas/core/clients';
import { Semaphore } from '../lambdas/core/evidence/concurrency';
import { defaultIntakeConfig } from '../lambdas/core/intake/intake-config';
import { intakeFinding } from '../lambdas/core/intake/intake-finding';
import type { StartResult, WorkflowStart, WorkflowStarter } from '../lambdas/core/intake/workflow-starter';
import { DEFAULT_ENGINE_CONFIG } from '../lambdas/core/isolation/engine-config';
import { isolate, type QuarantineOutcome } from '../lambdas/core/isolation/isolate';
import { Ec2Throttle, ISOLATION_EC2_OPERATIONS } from '../local-aws/ec2-throttle';
import { FaultLayer } from '../local-aws/fault-layer';
import { createLedgerTable } from '../local-aws/ledger-table';
import { LOCAL_CREDENTIALS, startMoto } from '../local-aws/moto-server';
import { MOTO_AMI } from '../local-aws/scenario';
import { seededRandom } from '../local-aws/seeded-random';
import { type Figure, round } from './figures';

const INSTANCES = 100;
const REGION = 'eu-west-1';
/** Isolation runs in flight at once: the isolate Lambda's reserved concurrency in the deployed stack. */
const CONCURRENCY = 20;

/** Deterministic shuffle, so every run sends the same order. */
function shuffle<T>(items: T[], seed: number): T[] {
  const rand = seededRandom(seed);
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Runs isolation like the workflow would, at most CONCURRENCY at once, once per quarantine. */
class BoundedStarter implements WorkflowStarter {
  public readonly runs = new Map<string, Promise<QuarantineOutcome>>();
  public readonly cuts: number[] = [];
  private readonly slots = new Semaphore(CONCURRENCY);
  public constructor(private readonly run: (id: string, onCut: () => void) => Promise<QuarantineOutcome>) {}
  public async start(q: WorkflowStart): Promise<StartResult> {
    const executionId = `bench:${q.quarantineId}`;
    if (this.runs.has(q.quarantineId)) return { executionId, alreadyStarted: true };
    this.runs.set(
      q.quarantineId,
      this.slots.use(() => this.run(q.quarantineId, () => this.cuts.push(performance.now()))),
    );
    return { executionId, alreadyStarted: false };
  }
}

/**
 * 200 GuardDuty findings for 100 instances (each sent twice, shuffled) arrive at once through the real
 * intake, against moto with 50 ms per call and EC2's per-action token buckets.
 */
const bench = async (): Promise<Figure[]> => {
  const moto = await startMoto();
  try {
    const base = { region: REGION, endpoint: moto.endpoint, credentials: LOCAL_CREDENTIALS };
    const setup = createIsolationClients(base);
    await createLedgerTable(createLedgerClients(base, 'sequester-ledger'));
    const vpc = await setup.ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
    const subnet = await setup.ec2.send(
      new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: '10.30.0.0/20' }),
    );
    const sg = await setup.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpc.Vpc?.VpcId, GroupName: 'fleet', Description: 'fleet' }),
    );
    const run = await setup.ec2.send(
      new RunInstancesCommand({
        ImageId: MOTO_AMI,
        InstanceType: 't3.micro',
        MinCount: INSTANCES,
        MaxCount: INSTANCES,
        SubnetId: subnet.Subnet?.SubnetId,
        SecurityGroupIds: [sg.GroupId ?? ''],
      }),
    );
    const ids = (run.Instances ?? []).map((i) => i.InstanceId ?? '');
    const template = JSON.parse(
      readFileSync(
        join(__dirname, '..', 'test', 'fixtures', 'guardduty', 'ec2-backdoor-c2-activity-dns.json'),
        'utf8',
      ),
    );
    const events = shuffle(
      ids.flatMap((instanceId, i) =>
        [1, 2].map((count) => {
          const e = structuredClone(template);
          e.id = `${i}-${count}-0000-0000-000000000000`.padEnd(36, '0');
          e.detail.id = `b${String(i).padStart(31, '0')}`;
          e.detail.resource.instanceDetails.instanceId = instanceId;
          e.detail.service.count = count;
          return e;
        }),
      ),
      42,
    );

    let workflowRetries = 0;
    const throttle = new Ec2Throttle(ISOLATION_EC2_OPERATIONS);
    const layer = new FaultLayer({ latencyMs: 50, fault: (op) => throttle.fault(op) });
    const slow = { ...base, requestHandler: layer, maxAttempts: 10 };
    const ledger = createLedgerClients(slow, 'sequester-ledger');
    // Each run gets its own clients, as each Lambda container has its own (and its own retry quota), and
    // a failed run is retried with backoff, as the state machine's Retry on the isolate task does.
    const starter = new BoundedStarter(async (id, onCut) => {
      const clients = createIsolationClients(slow);
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await isolate(
            clients,
            createLedgerClients(slow, 'sequester-ledger'),
            id,
            DEFAULT_ENGINE_CONFIG,
            { onNetworkCut: onCut },
          );
        } catch (err) {
          workflowRetries += 1;
          if (attempt >= 5) throw err;
          await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt * (0.5 + Math.random() / 2)));
        }
      }
    });
    const t0 = performance.now();
    // All 200 arrive at t0; the intake Lambda's reserved concurrency bounds how many run at once.
    const intakeSlots = new Semaphore(CONCURRENCY);
    const intakes = await Promise.all(
      events.map((e) =>
        intakeSlots.use(() => intakeFinding({ ledger, starter, config: defaultIntakeConfig() }, e)),
      ),
    );
    const outcomes = await Promise.all(starter.runs.values());
    const total = performance.now() - t0;

    if (process.env.BENCH_TRACE) {
      const by = new Map<string, { n: number; ms: number; faults: number }>();
      for (const c of layer.calls) {
        const e = by.get(c.operation) ?? { n: 0, ms: 0, faults: 0 };
        e.n += 1;
        e.ms += c.end - c.start;
        if (c.fault !== undefined) e.faults += 1;
        by.set(c.operation, e);
      }
      for (const [op, e] of [...by].sort((a, b) => b[1].ms - a[1].ms))
        console.error(op, e.n, Math.round(e.ms / e.n), e.faults);
    }
    const scan = await ledger.ddb.send(new ScanCommand({ TableName: ledger.tableName }));
    const records = (scan.Items ?? []).filter((i) => String(i.pk).startsWith('Q#'));
    const perInstance = new Map<string, number>();
    for (const r of records) {
      const id = (r.instance as { instanceId: string }).instanceId;
      perInstance.set(id, (perInstance.get(id) ?? 0) + 1);
    }
    const isolatedVerified = outcomes.filter((o) => o.status === 'isolated' && o.verified).length;
    return [
      { name: 'burst.findings', value: events.length, unit: 'findings' },
      { name: 'burst.quarantines', value: records.length, unit: 'quarantines' },
      {
        name: 'burst.duplicate_quarantines',
        value: [...perInstance.values()].filter((n) => n > 1).length,
        unit: 'instances',
      },
      {
        name: 'burst.duplicates_absorbed',
        value: intakes.filter((i) => i.status === 'joined').length,
        unit: 'findings',
      },
      { name: 'burst.isolated_verified', value: isolatedVerified, unit: 'instances' },
      { name: 'burst.last_network_cut_ms', value: round(Math.max(...starter.cuts) - t0, 0), unit: 'ms' },
      { name: 'burst.total_ms', value: round(total, 0), unit: 'ms' },
      { name: 'burst.aws_calls', value: layer.calls.length, unit: 'calls' },
      { name: 'burst.throttled_calls', value: throttle.throttled, unit: 'calls' },
      { name: 'burst.workflow_retries', value: workflowRetries, unit: 'task retries' },
    ];
  } finally {
    await moto.stop();
  }
};

export default bench;
