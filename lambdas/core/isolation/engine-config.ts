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

/**
 * Said in every network-cut record: what a security group swap cannot stop, where the network ACL deny
 * cannot help either, and the window the swap itself opens.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html#automatic-tracking
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
export const TRACKED_FLOWS_NOTE =
  'ICMP and connections through egress-only internet gateways, Gateway Load Balancers and their endpoints, ' +
  'Global Accelerator, NAT gateways, Network Firewall endpoints, Network Load Balancers, PrivateLink ' +
  'interface endpoints, Transit Gateway attachments and Lambda Hyperplane interfaces stay tracked after a ' +
  'security group change. The network ACL deny entries, when enabled, cut them only where the traffic ' +
  "crosses another subnet's ACL: not when the NAT gateway, load balancer node or endpoint sits in the " +
  "instance's own subnet, nor on an egress-only internet gateway (verification raises an alarm for " +
  'those). The first swap, which makes flows untracked, admits all inbound traffic (0.0.0.0/0 and ::/0) ' +
  'to the instance for one round trip.';
