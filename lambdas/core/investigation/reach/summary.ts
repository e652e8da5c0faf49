import type { ChainedRoleReport } from './chained-roles';
import type { ContextResult, ReachReport, StoreReach } from './report';
import type { ReachSnapshotSet } from './snapshot-set';

const yes = (r: ContextResult) => r.readable === 'yes';

/**
 * Counts distinct stores (a store read directly and through a chained role counts once):
 * `reachableBeforeIsolation` = readable from the instance or with its credentials from the internet;
 * `reachableAfterIsolation` = still readable from the instance with the deny in place, which must be 0.
 * Anything after isolation that is not `no` or `unknown` is an alarm.
 */
export function summarize(
  set: ReachSnapshotSet,
  stores: ReadonlyArray<StoreReach>,
  chainedRoles: ReadonlyArray<ChainedRoleReport>,
): ReachReport {
  const distinct = (pick: (s: StoreReach) => boolean) => new Set(stores.filter(pick).map((s) => s.arn)).size;
  const before = (s: StoreReach) => yes(s.fromInstance) || yes(s.fromInternet);
  const alarms = stores
    .filter((s) => s.afterIsolation.readable === 'yes' || s.afterIsolation.readable === 'conditional')
    .map((s) => `${s.arn} (via ${s.via}): ${s.afterIsolation.readable} after isolation`);
  const conditionalOnly = (s: StoreReach) =>
    !before(s) && (s.fromInstance.readable === 'conditional' || s.fromInternet.readable === 'conditional');
  const readableStores = new Set(stores.filter(before).map((s) => s.arn));
  return {
    version: 1,
    instanceArn: set.target.instanceArn,
    roleArn: set.instance.principal.roleArn ?? set.instance.principal.arn,
    stores: [...stores],
    chainedRoles: [...chainedRoles],
    summary: {
      stores: set.stores.length,
      reachableBeforeIsolation: readableStores.size,
      reachableFromInternet: distinct((s) => yes(s.fromInternet)),
      reachableAfterIsolation: distinct((s) => yes(s.afterIsolation)),
      conditional: new Set(
        stores
          .filter(conditionalOnly)
          .map((s) => s.arn)
          .filter((arn) => !readableStores.has(arn)),
      ).size,
      unknown: set.stores.filter((s) => s.unknown !== undefined).length,
      classifiedReachable: distinct((s) => before(s) && Object.keys(s.classification).length > 0),
    },
    alarms,
    unknown: [...set.unknown],
  };
}
