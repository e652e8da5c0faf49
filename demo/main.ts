import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createLedgerClients } from '../lambdas/core/clients';
import { verifyEvidence } from '../lambdas/core/evidence/verify';
import { defaultIntakeConfig } from '../lambdas/core/intake/intake-config';
import { intakeFinding } from '../lambdas/core/intake/intake-finding';
import { DEFAULT_ENGINE_CONFIG } from '../lambdas/core/isolation/engine-config';
import { getQuarantine } from '../lambdas/core/ledger/ledger';
import { startLocalEnforcer } from '../local-aws/iam/local-enforcement';
import { lambdaCredentials } from '../local-aws/iam/local-roles';
import { LOCAL_CREDENTIALS, startMoto } from '../local-aws/moto-server';
import { seedAttackerTrail, TRAIL_BUCKET } from './attacker-trail';
import { buildDemoAccount, DEMO_REGION, type DemoAccount, LEDGER_TABLE } from './demo-account';
import { findingFor } from './finding';
import { FLOW_LOG_GROUP, seedFlowLog } from './flow-log';
import { serveLocalApi } from './local-api';
import { redirectLambdaLogs } from './log-file';
import { DemoProgress } from './progress';
import { seedReach } from './reach-seed';
import { readPlantedFile } from './read-back';
import { writeDemoReport } from './report-output';
import { buildSummary, type DemoSummary, renderSummary } from './summary';
import { DemoWorkflow } from './workflow';

/**
 * `npm start`: the whole system on a laptop. Starts moto, builds a compromised web tier, delivers a
 * GuardDuty finding to the real intake, runs the response workflow, verifies the evidence, reads the
 * attacker's implant back out of the locked disk image, prints a summary and stops what it started.
 * `-- --json`: the summary as one JSON line (last line of stdout). `-- --keep`: leave the emulator and
 * a local on-call API running (until Ctrl+C) and print the `sequester` commands to explore them.
 */
async function main(argv: ReadonlyArray<string>): Promise<number> {
  const o = new Command('npm start --')
    .option('--json', 'print the summary as one JSON line')
    .option('--keep', 'keep the emulator running and print sequester commands to explore it')
    .parse([...argv])
    .opts<{ json?: boolean; keep?: boolean }>();
  const json = o.json === true;
  const startedAt = Date.now();
  // Before any handler loads: their JSON log lines go to this file, not between the progress lines.
  const logs = redirectLambdaLogs(join(tmpdir(), 'sequester-demo'));
  const progress = new DemoProgress(json);
  progress.phase(0);
  const moto = await startMoto();
  const closers: Array<() => Promise<void>> = [() => logs.close(), () => moto.stop()];
  try {
    // The handlers talk to moto through the IAM-enforcing local AWS: each signs with its own Lambda
    // role and is refused what AWS would refuse it; the demo's own setup is the administrator.
    const enforcer = await startLocalEnforcer(moto.endpoint);
    closers.push(() => enforcer.stop());
    progress.line(
      `moto is serving AWS APIs on ${moto.endpoint}, IAM enforced in front of it on ${enforcer.endpoint}`,
    );
    progress.phase(1);
    const account = await buildDemoAccount(enforcer.endpoint);
    const s = account.scenario;
    progress.line(
      `web server ${s.instanceId}: 2 ENIs, ASG ${s.asgName}, target group, role ${s.roleName} (shared with ${s.twinId})`,
    );
    for (const v of account.volumes) progress.line(`${v.deviceName} ${v.volumeId}: ${v.seeded}`);
    const reach = await seedReach(account);
    const trail = await seedAttackerTrail(account, reach);
    const flows = await seedFlowLog(account);
    progress.line(
      `web role reads ${reach.customerBucket} (customer data), ${reach.vpcOnlyBucket} (through the VPC endpoint only), a secret, table orders, may assume reports-export; trail s3://${TRAIL_BUCKET}: ${trail.records} attacker records; VPC flow log ${flows.flowLogId} to CloudWatch Logs ${FLOW_LOG_GROUP}: ${flows.records} records`,
    );
    progress.phase(2);
    const workflow = new DemoWorkflow(account, enforcer);
    const finding = findingFor(account);
    await workflow.ready();
    const deliveredAt = Date.now();
    // The intake claims the quarantine in the ledger with the intake Lambda's own role, refused what AWS
    // would refuse it; it starts the workflow in-process (on AWS: states:StartExecution, checked by the
    // intake handler tests), so no Step Functions call is made here.
    const intakeLedger = createLedgerClients(
      { ...account.opts, credentials: lambdaCredentials('intake') },
      account.ledger.tableName,
    );
    const intake = await intakeFinding(
      { ledger: intakeLedger, starter: workflow, config: defaultIntakeConfig() },
      finding,
    );
    if (intake.status !== 'started')
      throw new Error(`the intake did not start a quarantine: ${JSON.stringify(intake)}`);
    progress.line(
      `${finding.detail.type} (severity ${finding.detail.severity}) -> ${intake.decision.action}: ${intake.quarantineId}`,
    );
    progress.phase(3);
    const done = workflow.finished(intake.quarantineId);
    await progress.follow(account.ledger, intake.quarantineId, done);
    const failure = await done.then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    if (failure !== undefined) progress.line(`workflow failed: ${failure}`);
    const finished = await finish(account, intake.quarantineId, deliveredAt, startedAt, progress);
    progress.phase(7);
    const report = await writeDemoReport(
      { s3: account.evidence.s3, ledger: account.ledger, vaultBucket: account.vaultBucket },
      intake.quarantineId,
      logs.path,
    );
    progress.line(
      report.verified
        ? `breach report: ${report.htmlPath}`
        : `breach report: ${report.detail ?? 'not verified'}`,
    );
    const summary: DemoSummary = {
      ...finished,
      ok: finished.ok && report.verified,
      lambdaLogFile: logs.path,
      report,
      localAws: { iamEnforced: true, accessDenied: enforcer.denials.length },
    };
    for (const d of enforcer.denials)
      progress.line(`AccessDenied: ${d.principal} ${d.action} on ${d.resource}`);
    const keep = o.keep === true ? await keepRunning(account, workflow, summary) : undefined;
    progress.stop();
    process.stdout.write(
      json ? `${JSON.stringify({ ...summary, ...keep?.extra })}\n` : `${renderSummary(summary)}\n`,
    );
    if (keep !== undefined) {
      closers.push(keep.close);
      if (!json) process.stdout.write(`\n${keep.extra.emulator.commands.join('\n')}\n`);
      await waitForSignal();
    }
    return summary.ok ? 0 : 1;
  } finally {
    progress.stop();
    for (const close of closers.reverse()) await close();
  }
}

async function finish(
  a: DemoAccount,
  quarantineId: string,
  deliveredAt: number,
  startedAt: number,
  progress: DemoProgress,
): Promise<Omit<DemoSummary, 'lambdaLogFile' | 'localAws' | 'report'>> {
  const rec = await getQuarantine(a.ledger, quarantineId);
  if (rec === undefined) throw new Error(`quarantine ${quarantineId} vanished from the ledger`);
  const manifest = (rec.evidence as { manifest?: { key: string; versionId: string } } | undefined)?.manifest;
  progress.phase(5);
  const report =
    manifest === undefined
      ? undefined
      : await verifyEvidence(a.evidence.s3, a.vaultBucket, manifest.key, { versionId: manifest.versionId });
  progress.line(
    report?.ok === true
      ? 'every image part matches its SHA-256'
      : `verify: ${report?.problems.join('; ') ?? 'no manifest'}`,
  );
  progress.phase(6);
  const root = report?.manifest.volumes.find((v) => v.deviceName === '/dev/xvda')?.images[0];
  const planted: DemoSummary['plantedFile'] =
    root === undefined
      ? { path: a.planted.path, matches: false, error: 'no image of the root volume' }
      : await readPlantedFile(a.evidence.s3, {
          bucket: a.vaultBucket,
          key: root.key,
          versionId: root.versionId,
          fsBytes: a.planted.fsBytes,
          path: a.planted.path,
          expected: a.planted.content,
        });
  return { ...buildSummary(a, rec, deliveredAt, startedAt, report, planted) };
}

async function keepRunning(a: DemoAccount, workflow: DemoWorkflow, s: DemoSummary) {
  const api = await serveLocalApi({
    ledger: a.ledger,
    starter: workflow,
    clientsFor: () => a.clients,
    engine: DEFAULT_ENGINE_CONFIG,
    defaultRegion: DEMO_REGION,
  });
  const e = `--endpoint-url ${a.endpoint}`;
  const ref = `${s.incidentId}/${s.instanceId}`;
  const commands = [
    '# The emulator and a local on-call API keep running until Ctrl+C. In another terminal:',
    `export AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} AWS_REGION=${DEMO_REGION}`,
    `export SEQUESTER_API_URL=${api.url} SEQUESTER_VAULT_BUCKET=${a.vaultBucket} SEQUESTER_LEDGER_TABLE=${LEDGER_TABLE}`,
    `npx sequester list`,
    `npx sequester status ${s.quarantineId}`,
    `npx sequester evidence list ${e}`,
    `npx sequester evidence show ${ref} ${e}`,
    `npx sequester evidence verify ${ref} ${e}`,
    `npx sequester evidence download ${ref} --out ./evidence ${e}`,
    `npx sequester release ${s.quarantineId} --reason "demo over"`,
  ];
  return { extra: { emulator: { endpoint: a.endpoint, apiUrl: api.url, commands } }, close: api.close };
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

// Node 20 is supported here; the SDK's notice about its future Node 22 floor is noise in a demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.argv.includes('--debug') && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
