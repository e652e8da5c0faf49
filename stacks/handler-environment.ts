import type { IntakeConfig } from '../lambdas/core/intake/intake-config';
import { ledgerTableName, type ResponderResources } from '../policies/arn-context';
import type { LambdaName } from '../policies/responder-statements';
import type { SequesterConfig } from './config';

/** The home Region and the memberRegions: where findings arrive from and where the responder acts. */
const coveredRegions = (cfg: SequesterConfig, homeRegion: string | undefined): string[] => [
  ...new Set([...(homeRegion === undefined ? [] : [homeRegion]), ...cfg.memberRegions]),
];

/**
 * The environment every responder Lambda gets (handlers/runtime.ts and each handler validate it at
 * load). The intake's filters travel as one JSON document, INTAKE_CONFIG, in intake's own schema.
 */
export function handlerEnvironment(
  cfg: SequesterConfig,
  r: ResponderResources,
  vaultBucket: string,
  ownAccountId: string,
  homeRegion: string,
): Record<string, string> {
  const intake: IntakeConfig = {
    severityFloor: cfg.severityFloor,
    allowTypePrefixes: [...cfg.findingTypeAllow],
    denyTypePrefixes: [...cfg.findingTypeDeny],
    exemptionTagKey: cfg.exemptionTag,
    // The responder can only act where it has access: its own account and the member accounts. The API
    // refuses other accounts by name, and intake records findings from them as out of scope.
    accounts: [ownAccountId, ...cfg.memberAccountIds],
    // The home region and the memberRegions, whose findings the forwarding rules bring home
    // (stacks/finding-forwarders.ts): findings of any other region never arrive, so none is acted on.
    regions: coveredRegions(cfg, homeRegion),
    drills: cfg.allowSampleFindings,
    stopInstance: cfg.stopInstance,
    forensicCidrs: [...cfg.forensicCidrs],
  };
  return {
    LEDGER_TABLE: ledgerTableName(cfg.resourcePrefix),
    VAULT_BUCKET: vaultBucket,
    VAULT_KEY_ARN: r.vaultKeyArn,
    TOPIC_ARN: r.topicArn,
    STATE_MACHINE_ARN: r.stateMachineArn,
    MEMBER_ROLE_NAME: r.memberRoleName,
    EXEMPTION_TAG_KEY: cfg.exemptionTag,
    RETENTION_DAYS: String(cfg.retentionDays),
    LEGAL_HOLD: String(cfg.legalHoldDefault),
    INTAKE_CONFIG: JSON.stringify(intake),
  };
}

/**
 * Variables only one Lambda reads, added to handlerEnvironment for that Lambda alone: the snapshot task
 * locks each evidence snapshot (EBS Snapshot Lock, compliance mode) when snapshotLockDays is set
 * (lambdas/core/evidence/env-config.ts reads SNAPSHOT_LOCK_DAYS); the isolate task the covered Regions
 * (lambdas/handlers/runtime.ts reads COVERED_REGIONS); the investigation tasks read the
 * trail, the covered regions and the reach settings (lambdas/handlers/investigation-env.ts); the report
 * step its organisation, jurisdictions, privilege banner and time zone (lambdas/core/report/report-env.ts).
 */
export function functionEnvironment(
  name: LambdaName,
  cfg: SequesterConfig,
  homeRegion?: string,
): Record<string, string> {
  if (name === 'snapshot' && cfg.snapshotLockDays > 0)
    return { SNAPSHOT_LOCK_DAYS: String(cfg.snapshotLockDays) };
  const regions = coveredRegions(cfg, homeRegion);
  // The isolate task looks in the covered Regions for an instance named by a credential-exfiltration
  // finding of another Region (lambdas/core/isolation/follow-instance.ts).
  if (name === 'isolate') return { COVERED_REGIONS: regions.join(',') };
  if (name === 'investigate-activity')
    return {
      TRAIL_BUCKETS: cfg.trailBuckets.join(','),
      TRAIL_PREFIX: cfg.trailPrefix,
      TRAIL_NAME: cfg.trailName ?? '',
      FLOW_LOG_BUCKETS: cfg.flowLogBuckets.join(','),
    };
  if (name === 'issue-report')
    return {
      REPORT_ORGANISATION: cfg.reportOrganisation,
      REPORT_JURISDICTIONS: cfg.reportJurisdictions.join(','),
      // The report step reads an absent variable as "none"; an empty one would fail its validation.
      ...(cfg.reportPrivilegeBanner === '' ? {} : { REPORT_PRIVILEGE_BANNER: cfg.reportPrivilegeBanner }),
      ...(cfg.reportTimeZone === '' ? {} : { REPORT_TIME_ZONE: cfg.reportTimeZone }),
    };
  if (name === 'investigate-reach')
    return {
      COVERED_REGIONS: regions.join(','),
      REACH_DEPTH: String(cfg.reachDepth),
      CLASSIFICATION_TAGS: cfg.classificationTags.join(','),
    };
  return {};
}
