import { type DecidingStatement, type NamedDocument, type Scan, scanPolicies } from './policy-scan';
import type { DocumentLike } from './policy-types';
import { RCP_SUPPORTED_SERVICES } from './rcp-services';
import type { MatchInput } from './statement-match';

/**
 * SCP and RCP chains: one array of documents per level, root first. Every level must have an applicable
 * Allow ("If the enforcement code does not find any applicable Allow statements in the SCPs, then the
 * enforcement code returns a final decision of Deny"); they never grant. An empty chain = none attached.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
export type Chain = ReadonlyArray<ReadonlyArray<DocumentLike>>;

/** Names the documents of each level: `${prefix}:level<L>:<index>`. */
export function nameChain(chain: Chain, prefix: string): ReadonlyArray<ReadonlyArray<NamedDocument>> {
  return chain.map((level, l) =>
    level.map((document, i) => ({ name: `${prefix}:level${l}:${i}`, document })),
  );
}

export interface ChainResult {
  readonly denies: ReadonlyArray<DecidingStatement>;
  /** The first level without an applicable Allow (statement -1 = the level as a whole), if any. */
  readonly missing: DecidingStatement | undefined;
}

export function evaluateChain(
  levels: ReadonlyArray<ReadonlyArray<NamedDocument>>,
  prefix: string,
  input: MatchInput,
): ChainResult {
  const denies: DecidingStatement[] = [];
  let missing: DecidingStatement | undefined;
  for (let l = 0; l < levels.length; l++) {
    const scan: Scan = scanPolicies(levels[l] ?? [], input);
    denies.push(...scan.denies);
    if (scan.allows.length === 0 && missing === undefined) {
      missing = { policy: `${prefix}:level${l}`, statement: -1 };
    }
  }
  return { denies, missing };
}

const RCP_SERVICES: ReadonlySet<string> = new Set(RCP_SUPPORTED_SERVICES);

export function rcpApplies(action: string): boolean {
  return RCP_SERVICES.has(action.slice(0, action.indexOf(':')).toLowerCase());
}
