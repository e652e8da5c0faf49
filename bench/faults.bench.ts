import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { createEvidenceClients, createIsolationClients, createLedgerClients } from '../lambdas/core/clients';
import { verifyEvidence } from '../lambdas/core/evidence/verify';
import { claimQuarantine, getQuarantine } from '../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../lambdas/core/schemas/quarantine-request';
import { diskInstance, faultyTasks, seededFaults } from '../local-aws/fault-drill';
import { createLedgerTable } from '../local-aws/ledger-table';
import { runLocalWorkflow } from '../local-aws/local-workflow';
import { LOCAL_CREDENTIALS, startMoto } from '../local-aws/moto-server';
import { createVault } from '../local-aws/vault';
import type { Figure } from './figures';

const REGION = 'eu-west-1';
const SEED = 20261125;

/**
 * The real state machine, run locally against moto with the real handlers, while a seeded schedule
 * fails 40% of task attempts (before or after their work). Counts the faults injected, whether the run
 * still ended sealed and verified (survived), and evidence objects lost (listed in the manifest but
 * missing or failing verification).
 */
const bench = async (): Promise<Figure[]> => {
  const moto = await startMoto();
  try {
    const opts = { region: REGION, endpoint: moto.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    const ledger = createLedgerClients(opts, 'sequester-ledger');
    await createLedgerTable(ledger);
    const topic = await new SNSClient(opts).send(new CreateTopicCommand({ Name: 'sequester-oncall' }));
    const evidence = createEvidenceClients(opts);
    const vault = await createVault(evidence.s3, opts, 'sequester-vault', true);
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      LEDGER_TABLE: ledger.tableName,
      TOPIC_ARN: topic.TopicArn ?? '',
      VAULT_BUCKET: vault.bucket,
      RETENTION_DAYS: '1',
      LEGAL_HOLD: 'false',
    });
    const { instanceId } = await diskInstance(createIsolationClients(opts).ec2, moto.endpoint, REGION);
    const claim = await claimQuarantine(
      ledger,
      parseQuarantineRequest({
        instance: { instanceId, region: REGION },
        reason: 'fault drill',
        trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/bench' },
      }),
    );
    const faults = faultyTasks(seededFaults(SEED, 0.4));
    const run = await runLocalWorkflow(
      { quarantineId: claim.record.quarantineId },
      { replace: faults.replace },
    );
    const rec = await getQuarantine(ledger, claim.record.quarantineId);
    const manifestKey = (run.output as { manifestKey?: string } | undefined)?.manifestKey;
    const report =
      manifestKey === undefined
        ? undefined
        : await verifyEvidence(evidence.s3, vault.bucket, manifestKey, {
            rangeBytes: 512 * 1024 * 1024,
            concurrency: 2,
          });
    const survived = run.status === 'SUCCEEDED' && rec?.state === 'evidence_sealed' && report?.ok === true;
    const listed = report?.objects.length ?? 0;
    const intact = report?.objects.filter((o) => o.ok).length ?? 0;
    return [
      { name: 'faults.injected', value: faults.injected(), unit: 'faults' },
      { name: 'faults.survived', value: survived ? faults.injected() : 0, unit: 'faults' },
      { name: 'faults.task_attempts', value: run.tasks.length, unit: 'attempts' },
      {
        name: 'evidence.objects_lost',
        value: manifestKey === undefined ? 1 : listed - intact,
        unit: 'objects',
      },
    ];
  } finally {
    await moto.stop();
  }
};

export default bench;
