import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { type ArnContext, ledgerTableName, stateMachineArn } from '../../policies/arn-context';
import { flowLogAccess, trailAccess } from '../../policies/investigation-statements';
import type { PolicyStatement } from '../../policies/policy-document';
import type { LambdaName } from '../../policies/responder-statements';
import { LOCAL_CREDENTIALS } from '../moto-server';
import { type Enforcer, startEnforcer } from './enforcer';
import { defineLocalDeployment, type LocalDeployment } from './local-roles';
import { Principals } from './principals';

/** The account moto answers for unknown keys; the local responder lives there. */
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_PREFIX = 'sequester';

export interface LocalEnforcementOptions {
  readonly memberAccountIds?: ReadonlyArray<string>;
  readonly snapshotLock?: boolean;
  /** Changes a Lambda role's statements before they are enforced (a test removing one action). */
  readonly edit?: (name: LambdaName, statements: PolicyStatement[]) => PolicyStatement[];
}

/** An enforcer with no deployment yet: only the administrator (LOCAL_CREDENTIALS) is known. */
export async function startLocalEnforcer(motoEndpoint: string): Promise<Enforcer> {
  const principals = new Principals();
  principals.admin(LOCAL_CREDENTIALS.accessKeyId);
  return startEnforcer(motoEndpoint, principals);
}

/**
 * (Re)defines the responder's roles in the enforcer from the handlers' environment, as the stack would
 * render them (stacks/handler-environment.ts is the inverse): ledger, vault, topic, state machine, member
 * role. The vault key ARN is VAULT_KEY_ARN or, when a test did not set it, the vault bucket's default
 * SSE-KMS key read from the emulator (directly: the enforcer holds requests until this lands). Returns at once; the enforcer holds requests until it has landed.
 */
export function configureLocalDeployment(
  enforcer: Enforcer,
  env: Readonly<Record<string, string | undefined>>,
  o: LocalEnforcementOptions = {},
): void {
  const region = env.AWS_REGION ?? 'eu-west-1';
  const context: ArnContext = { partition: 'aws', accountId: LOCAL_ACCOUNT, region };
  const bucket = env.VAULT_BUCKET ?? `${LOCAL_PREFIX}-evidence-vault`;
  const work = (async () => {
    const vaultKeyArn = env.VAULT_KEY_ARN ?? (await bucketKey(enforcer.target, region, bucket));
    const d: LocalDeployment = {
      context,
      prefix: LOCAL_PREFIX,
      snapshotLock: o.snapshotLock ?? env.SNAPSHOT_LOCK_DAYS !== undefined,
      resources: {
        ledgerTableArn: `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${env.LEDGER_TABLE ?? ledgerTableName(LOCAL_PREFIX)}`,
        vaultBucketArn: `arn:aws:s3:::${bucket}`,
        vaultKeyArn,
        topicArn: env.TOPIC_ARN ?? `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${LOCAL_PREFIX}-oncall`,
        stateMachineArn: env.STATE_MACHINE_ARN ?? stateMachineArn(context, LOCAL_PREFIX),
        memberRoleName: env.MEMBER_ROLE_NAME ?? 'sequester-member-access',
        memberAccountIds: o.memberAccountIds ?? [],
        ...trailOf(context, env),
      },
      ...(o.edit === undefined ? {} : { edit: o.edit }),
    };
    defineLocalDeployment(enforcer.principals, d);
  })();
  enforcer.principals.track(work);
}

/** The trail and flow log buckets the activity step reads, from the variables the stack gives it (stacks/handler-environment.ts). */
function trailOf(c: ArnContext, env: Readonly<Record<string, string | undefined>>) {
  const trail = trailAccess(c, {
    buckets: (env.TRAIL_BUCKETS ?? '').split(',').filter((b) => b !== ''),
    prefix: env.TRAIL_PREFIX ?? '',
    trailName: env.TRAIL_NAME === '' ? undefined : env.TRAIL_NAME,
    kmsKeyArns: [],
  });
  const flowLogs = flowLogAccess({
    buckets: (env.FLOW_LOG_BUCKETS ?? '').split(',').filter((b) => b !== ''),
    kmsKeyArns: [],
  });
  return { ...(trail === undefined ? {} : { trail }), ...(flowLogs === undefined ? {} : { flowLogs }) };
}

async function bucketKey(endpoint: string, region: string, bucket: string): Promise<string> {
  const s3 = new S3Client({
    region,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 2,
  });
  const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })).catch(() => undefined);
  const key =
    out?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  return key ?? `arn:aws:kms:${region}:${LOCAL_ACCOUNT}:key/no-vault-key`;
}
