import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type ArnContext, ledgerTableArn, responderRoleArn } from '../policies/arn-context';
import { LAMBDA_NAMES } from '../policies/responder-statements';
import { VAULT_WRITERS } from '../policies/vault-bucket-policy';
import { BUNDLE_DIR, bundle } from '../scripts/bundle';
import { readConfig } from './config';
import { EvidenceVault } from './evidence-vault';
import { FindingForwarders } from './finding-forwarders';
import { MemberAccess } from './member-access';
import { Responder } from './responder';
import { Triggers } from './triggers';

const cfg = readConfig();
const name = cfg.resourcePrefix;

/**
 * Pulumi program entry point (Pulumi.yaml `main`). A `member` stack deploys only the MemberAccess role;
 * a `responder` stack deploys the vault, the responder and its triggers.
 */
function responderStack() {
  // Deploying for real bundles the handlers first, so `pulumi up` always ships the code it was run
  // from; under test mocks there is no engine and the archives are only paths.
  if (pulumi.runtime.hasEngine()) bundle({ entries: LAMBDA_NAMES });
  const code = (entry: string) => new pulumi.asset.FileArchive(path.join(BUNDLE_DIR, entry));

  const context: pulumi.Output<ArnContext> = pulumi
    .all([
      aws.getPartitionOutput().partition,
      aws.getCallerIdentityOutput().accountId,
      aws.getRegionOutput().region,
    ])
    .apply(([partition, accountId, region]) => ({ partition, accountId, region }));

  const vault = new EvidenceVault(`${name}-vault`, {
    retentionDays: cfg.retentionDays,
    coldStorageAfterDays: cfg.coldStorageAfterDays,
    writerRoleArns: context.apply((c) => VAULT_WRITERS.map((l) => responderRoleArn(c, name, l))),
    ledgerTableArn: context.apply((c) => ledgerTableArn(c, name)),
    reviewerRoleName: `${name}-reviewer`,
    reviewerPrincipalArns: cfg.reviewerPrincipalArns,
  });
  const responder = new Responder(`${name}-responder`, {
    config: cfg,
    context,
    code,
    vaultBucketName: vault.bucket.bucket,
    vaultBucketArn: vault.bucket.arn,
    vaultKeyArn: vault.key.arn,
  });
  const triggers = new Triggers(`${name}-triggers`, {
    resourcePrefix: name,
    findingFilter: cfg,
    intakeFunctionArn: responder.functions.intake.function.arn,
    intakeFunctionName: responder.functions.intake.function.name,
    apiFunctionArn: responder.functions.api.function.arn,
    apiFunctionName: responder.functions.api.function.name,
    throttleRate: cfg.apiThrottleRate,
    throttleBurst: cfg.apiThrottleBurst,
    logRetentionDays: cfg.logRetentionDays,
    onCallPrincipalArns: cfg.onCallPrincipalArns,
  });
  new FindingForwarders(`${name}-forwarders`, {
    resourcePrefix: name,
    homeRegion: homeRegion(),
    regions: cfg.memberRegions,
    findingFilter: cfg,
  });
  return {
    vaultBucket: vault.bucket.bucket,
    reviewerRoleArn: vault.reviewerRole.arn,
    ledgerTable: responder.ledger.name,
    stateMachineArn: responder.workflow.stateMachine.arn,
    topicArn: responder.topic.arn,
    apiEndpoint: triggers.api.apiEndpoint,
    onCallRoleArn: triggers.onCallRole.arn,
  };
}

/**
 * The stack's region, known before any resource is declared: which regions need a forwarding rule of
 * their own depends on it. `aws:region` (or AWS_REGION), as the default provider reads it.
 */
function homeRegion(): string {
  const region = aws.config.region;
  if (region === undefined)
    throw new pulumi.RunError('aws:region must be set (pulumi config set aws:region <region>)');
  return region;
}

function memberStack() {
  const member = new MemberAccess(`${name}-member`, {
    roleName: cfg.memberRoleName,
    responderAccountId: cfg.responderAccountId ?? '',
    responderPrefix: name,
    flowLogGroups: cfg.flowLogGroups,
  });
  return { memberRoleArn: member.role.arn };
}

export const outputs = cfg.stackKind === 'member' ? memberStack() : responderStack();
