import type { ReachDecision } from '../../../../policies/evaluation';
import type { ActionDecision, Readable } from './report';
import type { StoreFacts } from './snapshot-set';
import { storeReads } from './store-reads';

const denied = (d: ReachDecision) => d === 'ExplicitDeny' || d === 'ImplicitDeny';

/** Both must allow: a deny on either side denies, two allows allow, anything else is Conditional. */
export function both(a: ReachDecision, b: ReachDecision): ReachDecision {
  if (denied(a)) return a;
  if (denied(b)) return b;
  return a === 'Allowed' && b === 'Allowed' ? 'Allowed' : 'Conditional';
}

/**
 * Whether a store's data is readable in one context: some read allowed and, for data encrypted under a KMS
 * key, the key's Decrypt allowed too ("encrypted data counts as readable only when the decrypt of its key
 * is allowed"); every AssumeRole hop to the reading role must be allowed as well. A store the collector
 * could not read is `unknown` unless the answer does not depend on what is missing (an explicit deny
 * outside its resource policy, or a chain hop that is denied).
 */
export function readableOf(
  store: StoreFacts,
  link: ReadonlyArray<ActionDecision>,
  rows: ReadonlyArray<ActionDecision>,
): Readable {
  const hop = link.reduce<ReachDecision>((acc, l) => both(acc, l.decision), 'Allowed');
  if (denied(hop)) return 'no';
  const reads = storeReads(store);
  const decrypt = store.kmsKeyArn !== null ? rows[reads.length]?.decision : 'Allowed';
  const effective = reads.map((r, i) => {
    const d = rows[i]?.decision ?? 'ImplicitDeny';
    return both(hop, r.decrypts ? both(d, decrypt ?? 'ImplicitDeny') : d);
  });
  if (store.unknown !== undefined) {
    return reads.every((_, i) => rows[i]?.decision === 'ExplicitDeny') ? 'no' : 'unknown';
  }
  if (effective.includes('Allowed')) return 'yes';
  if (effective.includes('Conditional')) return 'conditional';
  return 'no';
}
