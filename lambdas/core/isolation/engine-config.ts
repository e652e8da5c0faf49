import type { LedgerAction } from '../ledger/record';

/** Settings of the isolation engine that come from deployment config, not from the request. */
export interface EngineConfig {
  /** Tag key that exempts an instance from automatic quarantine (value other than "false"). */
  readonly exemptionTagKey: string;
  /** Who performs the AWS actions (the responder's role ARN), recorded on every ledger action. */
  readonly responderActor: string;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  exemptionTagKey: 'sequester:exempt',
  responderActor: 'sequester-responder',
};

/** Hooks for observers (the demo's live progress, the benchmark's clock). */
export interface IsolationHooks {
  readonly onNetworkCut?: (at: Date) => void;
}

/** Builds a ledger action stamped with the current time. */
export function action(
  actor: string,
  step: string,
  outcome: LedgerAction['outcome'],
  detail?: Record<string, unknown>,
  requestIds?: ReadonlyArray<string>,
): LedgerAction {
  return {
    at: new Date().toISOString(),
    actor,
    step,
    outcome,
    ...(detail === undefined ? {} : { detail }),
    ...(requestIds === undefined || requestIds.length === 0 ? {} : { requestIds: [...requestIds] }),
  };
}

/** Said in every network-cut record: what a security group swap cannot stop. */
export const TRACKED_FLOWS_NOTE =
  'ICMP and flows through NAT gateways, NLBs, PrivateLink and Transit Gateway stay tracked after a security ' +
  'group change; they are cut by the network ACL deny entries when those are enabled.';
