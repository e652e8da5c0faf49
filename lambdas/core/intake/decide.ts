import type { QuarantineRequestInput } from '../schemas/quarantine-request';
import { CREDENTIAL_EXFILTRATION } from '../schemas/trigger';
import { type GuardDutyFinding, isSampleFinding, parseFindingEvent } from './guardduty-event';
import { type IntakeConfig, parseIntakeConfig } from './intake-config';
import { runtimeSummary } from './untrusted-text';

/** Why a finding is ignored (or `qualifies`). Stable codes: alarms and tests match on them. */
export type DecisionReason =
  | 'qualifies'
  | 'not-an-instance'
  | 'archived'
  | 'sample'
  | 'account-not-configured'
  | 'region-not-configured'
  | 'below-severity-floor'
  | 'type-denied'
  | 'type-not-allowed'
  | 'exempt';

/** What the intake does with one finding; also what `sequester intake --event FILE` prints. */
export interface IntakeDecision {
  readonly action: 'quarantine' | 'ignore';
  readonly reason: DecisionReason;
  /** One readable sentence. Built only from validated fields, never from attacker-controlled text. */
  readonly explanation: string;
  readonly instance: {
    readonly accountId: string;
    readonly region: string;
    readonly instanceId: string | null;
  };
  readonly findingId: string;
  readonly type: string;
  readonly severity: number;
  /** service.count: GuardDuty re-publishes a finding with a higher count as the activity continues. */
  readonly count: number;
  /** Runtime Monitoring process details, escaped (see untrusted-text.ts). */
  readonly runtime?: Readonly<Record<string, string>>;
}

/** The role session EC2 names after the instance (see CREDENTIAL_EXFILTRATION). */
const INSTANCE_SESSION = /^AROA[A-Z0-9]+:(i-[0-9a-f]{8}(?:[0-9a-f]{9})?)$/;

/** The instance a finding is about: named directly, or (credential exfiltration) by its role session. */
export function instanceOf(f: GuardDutyFinding): string | null {
  if (f.resource.resourceType === 'Instance') return f.resource.instanceDetails?.instanceId ?? null;
  if (f.resource.resourceType !== 'AccessKey' || !CREDENTIAL_EXFILTRATION.test(f.type)) return null;
  return INSTANCE_SESSION.exec(f.resource.accessKeyDetails?.principalId ?? '')?.[1] ?? null;
}

/**
 * Decides quarantine or ignore for one parsed finding. Pure: the instance's live tags are checked
 * again by the isolation engine, which refuses exempt instances for automatic triggers.
 */
export function decideFinding(f: GuardDutyFinding, cfg: IntakeConfig): IntakeDecision {
  const instanceId = instanceOf(f);
  const runtime = runtimeSummary(f.service.runtimeDetails);
  const base = {
    instance: { accountId: f.accountId, region: f.region, instanceId },
    findingId: f.id,
    type: f.type,
    severity: f.severity,
    count: f.service.count,
    ...(runtime === undefined ? {} : { runtime }),
  };
  const ignore = (reason: DecisionReason, explanation: string): IntakeDecision => ({
    action: 'ignore',
    reason,
    explanation,
    ...base,
  });
  if (instanceId === null)
    return ignore('not-an-instance', `resource type ${f.resource.resourceType} names no EC2 instance`);
  if (f.service.archived) return ignore('archived', 'the finding is archived');
  if (isSampleFinding(f) && !cfg.drills)
    return ignore('sample', 'sample finding (enable drills to act on sample findings)');
  if (cfg.accounts !== undefined && !cfg.accounts.includes(f.accountId))
    return ignore('account-not-configured', `account ${f.accountId} is not configured`);
  if (cfg.regions !== undefined && !cfg.regions.includes(f.region))
    return ignore('region-not-configured', `region ${f.region} is not configured`);
  if (f.severity < cfg.severityFloor)
    return ignore('below-severity-floor', `severity ${f.severity} is below the floor ${cfg.severityFloor}`);
  const denied = cfg.denyTypePrefixes.find((p) => f.type.startsWith(p));
  if (denied !== undefined) return ignore('type-denied', `type ${f.type} matches deny prefix ${denied}`);
  if (cfg.allowTypePrefixes.length > 0 && !cfg.allowTypePrefixes.some((p) => f.type.startsWith(p)))
    return ignore('type-not-allowed', `type ${f.type} matches no allowed prefix`);
  const tag = (f.resource.instanceDetails?.tags ?? []).find((t) => t.key === cfg.exemptionTagKey);
  if (tag !== undefined && (tag.value ?? '').toLowerCase() !== 'false')
    return ignore('exempt', `instance carries the exemption tag ${cfg.exemptionTagKey}`);
  return {
    action: 'quarantine',
    reason: 'qualifies',
    explanation: `${f.type} (severity ${f.severity}) on ${instanceId}`,
    ...base,
  };
}

/**
 * The quarantine request for a `quarantine` decision. The finding's account and region travel with the
 * instance, so a finding from a member account is acted on through that account's MemberAccess role.
 */
export function requestFromDecision(d: IntakeDecision, cfg: IntakeConfig): QuarantineRequestInput {
  if (d.action !== 'quarantine' || d.instance.instanceId === null)
    throw new Error(`finding ${d.findingId} was not decided for quarantine`);
  return {
    instance: {
      instanceId: d.instance.instanceId,
      region: d.instance.region,
      accountId: d.instance.accountId,
    },
    reason: `GuardDuty ${d.type} (severity ${d.severity}) on ${d.instance.instanceId}`,
    // One incident per finding: its evidence is filed under the finding it answers.
    incidentId: `GD-${d.findingId.slice(0, 61)}`,
    trigger: { kind: 'guardduty', findingId: d.findingId, findingType: d.type },
    options: { stopInstance: cfg.stopInstance, forensicCidrs: cfg.forensicCidrs },
  };
}

/**
 * The decision for `sequester intake --event FILE [--config FILE]`: the same code path as the Lambda,
 * without touching AWS. Throws InvalidInputError naming the bad field (`detail.severity`,
 * `config.severityFloor`) for an event or config it cannot parse.
 */
export function decideIntake(event: unknown, config?: unknown): IntakeDecision {
  const cfg = parseIntakeConfig(config);
  return decideFinding(parseFindingEvent(event).detail, cfg);
}
