import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { createEvidenceClients } from '../../lambdas/core/clients';
import { claimQuarantine } from '../../lambdas/core/ledger/ledger';
import { parseQuarantineRequest } from '../../lambdas/core/schemas/quarantine-request';
import { LOCAL_CREDENTIALS } from '../../local-aws/moto-server';
import { createVault } from '../../local-aws/vault';
import { freshMoto, type MotoEnv, REGION, setHandlerEnv } from '../support/moto';

/**
 * A fresh moto with what the deployed handlers expect (ledger table, on-call topic, evidence vault) and
 * the environment the stack gives them (stacks/handler-environment.ts), pointed at moto. The handlers'
 * runtimes are module singletons, so one test file holds one environment.
 */
export async function workflowEnv(o: { lockedVault: boolean }) {
  const env = await freshMoto();
  const opts = { region: REGION, endpoint: env.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
  const sns = new SNSClient(opts);
  const topic = await sns.send(new CreateTopicCommand({ Name: 'sequester-oncall' }));
  const evidence = createEvidenceClients(opts);
  const vault = await createVault(evidence.s3, opts, 'sequester-vault', o.lockedVault);
  setHandlerEnv(env, {
    TOPIC_ARN: topic.TopicArn ?? '',
    VAULT_BUCKET: vault.bucket,
    RETENTION_DAYS: '1',
    LEGAL_HOLD: 'false',
  });
  return { env, evidence, vault, sns };
}

/** Claims a quarantine as intake does before it starts the execution. */
export async function claim(env: MotoEnv, instanceId: string): Promise<string> {
  const req = parseQuarantineRequest({
    instance: { instanceId, region: REGION },
    reason: 'GuardDuty Backdoor:EC2/C&CActivity.B',
    incidentId: 'INC-77',
    trigger: { kind: 'api', principalArn: 'arn:aws:iam::123456789012:role/on-call' },
  });
  const { record } = await claimQuarantine(env.ledger, req);
  return record.quarantineId;
}
