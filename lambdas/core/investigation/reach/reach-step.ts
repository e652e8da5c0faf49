import type { S3Client } from '@aws-sdk/client-s3';
import type { LedgerClients } from '../../clients';
import { action } from '../../isolation/engine-config';
import type { QuarantineRecord } from '../../ledger/record';
import type { ActivityStepConfig } from '../activity/activity-step';
import type { InvestigationOutcome } from '../outcome';
import { outcomeOf, recordOutcome } from '../record-outcome';
import { failureReason, isTransient } from '../step-errors';
import { investigationPrefix, writeSealedObject } from '../vault-write';
import { collectSnapshotSet, type ReachClients, type ReachTarget } from './collect-reach';
import { evaluateReach } from './evaluate-reach';

export interface ReachStepClients {
  readonly ledger: LedgerClients;
  readonly vault: S3Client;
  /** The collectors' clients in the instance's account. */
  readonly reach: ReachClients;
}

export interface ReachStepConfig extends ActivityStepConfig {
  /** The covered regions of the instance's account. */
  readonly regions: ReadonlyArray<string>;
  readonly classificationTags: ReadonlyArray<string>;
  readonly depth: number;
}

interface Eni {
  readonly privateIpv4?: ReadonlyArray<string>;
  readonly publicIpv4?: ReadonlyArray<string>;
}

/**
 * The instance as isolation recorded it before any change: its ARN, its network facts, and its role
 * (changes.credentials.roleName, the role Sequester's deny was attached to). Undefined without a role.
 */
export function reachTarget(r: QuarantineRecord): ReachTarget | undefined {
  const facts = (r.preState.instance ?? {}) as { instanceArn?: string; vpcId?: string };
  const roleName = (r.changes.credentials as { roleName?: string } | undefined)?.roleName;
  if (roleName === undefined || facts.instanceArn === undefined) return undefined;
  const eni = ((r.preState.network as { enis?: Eni[] } | undefined)?.enis ?? [])[0];
  const privateIp = eni?.privateIpv4?.[0];
  const publicIp = eni?.publicIpv4?.[0];
  return {
    instanceArn: facts.instanceArn,
    roleName,
    ...(facts.vpcId === undefined || facts.vpcId === '' ? {} : { vpcId: facts.vpcId }),
    ...(privateIp === undefined ? {} : { privateIp }),
    ...(publicIp === undefined ? {} : { publicIp }),
  };
}

/**
 * The reach step: freezes the authorization state as it was before Sequester's deny (the collector
 * leaves the quarantined-instances policy out of the role and carries it separately), evaluates what
 * the session could read from the instance, from the internet, and after isolation, and writes the
 * snapshot set (`reach-authz.json`) and `reach.json` into the vault. A store still readable after
 * isolation is an `alarm` in the ledger: the proof of revocation failed for it. Idempotent; failures to
 * collect are recorded in the report or as `unavailable`, never thrown (but throttling).
 */
export async function runReachStep(
  c: ReachStepClients,
  record: QuarantineRecord,
  cfg: ReachStepConfig,
  now = new Date(),
): Promise<InvestigationOutcome> {
  const { quarantineId } = record;
  const known = outcomeOf(record, 'reach');
  if (known !== undefined) return known;
  const at = now.toISOString();
  const actions = [];
  let outcome: InvestigationOutcome;
  try {
    const target = reachTarget(record);
    if (target === undefined) throw new Error('no instance role was recorded at isolation: nothing to reach');
    const set = await collectSnapshotSet(c.reach, target, {
      regions: cfg.regions,
      classificationTags: cfg.classificationTags,
    });
    const report = evaluateReach(set, { classificationTags: cfg.classificationTags, depth: cfg.depth, now });
    const base = investigationPrefix(cfg, record);
    const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2));
    const objects = await Promise.all([
      writeSealedObject(c.vault, cfg, {
        name: 'reach-authz.json',
        key: `${base}reach-authz.json`,
        body: json(set),
        contentType: 'application/json',
      }),
      writeSealedObject(c.vault, cfg, {
        name: 'reach.json',
        key: `${base}reach.json`,
        body: json(report),
        contentType: 'application/json',
      }),
    ]);
    const s = report.summary;
    outcome = {
      status: 'written',
      at,
      objects,
      summary: {
        storesReachableBeforeIsolation: s.reachableBeforeIsolation,
        storesReachableAfterIsolation: s.reachableAfterIsolation,
        classifiedReachable: s.classifiedReachable,
        stores: s.stores,
        unknown: s.unknown,
      },
      ...(report.unknown.length === 0
        ? {}
        : {
            detail: report.unknown
              .map((u) => `${u.what}: ${u.reason}`)
              .join('; ')
              .slice(0, 1000),
          }),
    };
    if (report.alarms.length > 0)
      actions.push(
        action(cfg.responderActor, 'reach-after-isolation', 'alarm', { alarms: report.alarms.slice(0, 50) }),
      );
  } catch (err) {
    if (isTransient(err)) throw err;
    outcome = { status: 'unavailable', at, objects: [], detail: failureReason(err) };
  }
  actions.unshift(
    action(cfg.responderActor, 'investigate-reach', outcome.status === 'written' ? 'ok' : 'skipped', {
      status: outcome.status,
      ...(outcome.summary ?? {}),
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    }),
  );
  await recordOutcome(c.ledger, quarantineId, 'reach', outcome, actions);
  return outcome;
}
