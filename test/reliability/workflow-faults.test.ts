import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ZERO_OBJECT_PREFIX } from '../../lambdas/core/evidence/config';
import { verifyEvidence } from '../../lambdas/core/evidence/verify';
import { getQuarantine } from '../../lambdas/core/ledger/ledger';
import { DRILL_TASKS, diskInstance, faultyTasks, firstAttemptFaults } from '../../local-aws/fault-drill';
import { runLocalWorkflow } from '../../local-aws/local-workflow';
import { REGION } from '../support/moto';
import { claim, workflowEnv } from '../workflow/workflow-env';

/**
 * Every task of the real state machine fails on its first attempt: half of them before doing anything
 * (Lambda throttled or its service failing), half after doing their work (a timeout after the side
 * effects: the retry must be idempotent). Export segments fail twice. The run must end exactly where a
 * run without faults ends.
 */
describe('Reliability: the whole workflow under injected task faults', () => {
  it('reaches the same end state as a fault-free run: isolated once, every volume exported and verified, manifest sealed, ledger complete', async () => {
    // Prepare
    const { env, evidence, vault } = await workflowEnv({ lockedVault: true });
    const { instanceId } = await diskInstance(env.clients.ec2, env.endpoint, REGION);
    const quarantineId = await claim(env, instanceId);
    const faults = faultyTasks(firstAttemptFaults);
    // Act
    const result = await runLocalWorkflow({ quarantineId }, { replace: faults.replace });
    const injected = faults.injected();
    // Assess
    expect({ status: result.status, error: result.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    expect(injected).toBeGreaterThanOrEqual(DRILL_TASKS.length);
    expect(result.tasks).not.toContain('record-failure');
    // Isolated exactly once: one quarantine record, one quarantine group on every ENI.
    const items =
      (await env.ledger.ddb.send(new ScanCommand({ TableName: env.ledger.tableName }))).Items ?? [];
    expect(items.filter((i) => String(i.pk).startsWith('Q#'))).toHaveLength(1);
    const d = await env.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const groups = (d.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces ?? []).flatMap(
      (n) => n.Groups ?? [],
    );
    expect(groups.map((g) => g.GroupName)).toEqual([expect.stringMatching(/^sequester-quarantine-/)]);
    // Sealed, complete, and the image verifies against the manifest and S3's own checksums.
    const rec = await getQuarantine(env.ledger, quarantineId);
    expect(rec?.state).toBe('evidence_sealed');
    expect(rec?.actions.filter((a) => a.step === 'network-cut')).toHaveLength(1);
    expect(rec?.actions.map((a) => a.step)).toEqual(
      expect.arrayContaining(['verify', 'snapshot', 'export-finished', 'seal-manifest']),
    );
    const manifestKey = (result.output as { manifestKey: string }).manifestKey;
    const report = await verifyEvidence(evidence.s3, vault.bucket, manifestKey, {
      rangeBytes: 512 * 1024 * 1024,
      concurrency: 2,
    });
    expect(report.problems).toEqual([]);
    // Nothing lost, nothing orphaned: one version of each evidence object, no multipart upload left open.
    const versions = await evidence.s3.send(new ListObjectVersionsCommand({ Bucket: vault.bucket }));
    const evidenceKeys = (versions.Versions ?? [])
      .map((v) => v.Key ?? '')
      .filter((k) => !k.startsWith(ZERO_OBJECT_PREFIX));
    expect(evidenceKeys.filter((k, i) => evidenceKeys.indexOf(k) !== i)).toEqual([]);
    const uploads = await evidence.s3.send(new ListMultipartUploadsCommand({ Bucket: vault.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    console.log(
      `faults injected: ${injected}, survived: ${injected} (workflow SUCCEEDED), evidence objects: ${evidenceKeys.length}`,
    );
  }, 300_000);
});
