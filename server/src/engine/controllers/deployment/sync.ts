// Scaling and history of pkg/controller/deployment/sync.go: the scaling-event check, proportional
// scaling of every active ReplicaSet when the replica count changes mid-rollout, and cleanup of
// old ReplicaSets beyond revisionHistoryLimit.
import {
  compareByRevision,
  compareBySizeNewer,
  compareBySizeOlder,
  filterActiveReplicaSets,
  findActiveOrLatest,
  getDesiredReplicasAnnotation,
  getProportion,
  getReplicaCountForReplicaSets,
  isRollingUpdate,
  isSaturated,
  MAX_INT32,
  maxSurge,
  type DeploymentLike,
  type ReplicaSetLike,
} from './util';
import type { ScaleReplicaSet } from './rolling';

/** isScalingEvent: an active set was last sized for a different deployment replica count. */
export function isScalingEvent(d: Pick<DeploymentLike, 'replicas'>, allRSs: readonly (ReplicaSetLike | null | undefined)[]): boolean {
  for (const rs of filterActiveReplicaSets(allRSs)) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== d.replicas) return true;
  }
  return false;
}

/**
 * DeploymentController.scale, one pass: a single active (or the newest) set takes the full size;
 * a saturated new set makes old sets go to 0; otherwise (RollingUpdate) the difference between
 * replicas+maxSurge and the current total is shared in proportion to each set's size, larger sets
 * first (newer first when scaling up, older first when scaling down), and the rounding leftover
 * goes to the first (largest) set. `scale` is called for every active set, as upstream does, so
 * the replica annotations are refreshed even where the size stays.
 *
 * Worked example (getReplicaSetFraction has the fractions): old set 8, new set 5 of a 10-replica
 * deployment with maxSurge 3 scaled to 20. allowedSize = 23, toAdd = 23 - 13 = 10; scaling up,
 * the larger (old) set comes first: it takes min(6, 10) = 6, the new set min(4, 10 - 6) = 4;
 * nothing is left over: old 14, new 9. Had the fractions summed to 9, the missing 1 would have
 * gone to the old set as the first in the list.
 */
export function scaleDeployment<T extends ReplicaSetLike>(d: DeploymentLike, newRS: T | undefined, oldRSs: readonly T[], scale: ScaleReplicaSet<T>): void {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (activeOrLatest.replicas !== d.replicas) scale(activeOrLatest, d.replicas);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) scale(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowedSize = d.replicas > 0 ? d.replicas + maxSurge(d) : 0;
  const toAdd = allowedSize - getReplicaCountForReplicaSets(allRSs);
  if (toAdd > 0) allRSs.sort(compareBySizeNewer);
  else if (toAdd < 0) allRSs.sort(compareBySizeOlder);

  const sizes = new Map<T, number>();
  let added = 0;
  for (const rs of allRSs) {
    if (toAdd === 0) {
      sizes.set(rs, rs.replicas);
      continue;
    }
    const proportion = getProportion(rs, d, toAdd, added);
    sizes.set(rs, rs.replicas + proportion);
    added += proportion;
  }
  allRSs.forEach((rs, i) => {
    let size = sizes.get(rs) ?? rs.replicas;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + (toAdd - added));
    scale(rs, size);
  });
}

/** What cleanupDeployment needs to know about an old ReplicaSet. */
export interface HistoryReplicaSet extends ReplicaSetLike {
  /** deletionTimestamp already set. */
  beingDeleted?: boolean;
  /** metadata.generation and status.observedGeneration: a set whose controller has not caught up is kept. */
  generation?: number;
  observedGeneration?: number;
}

/**
 * cleanupDeployment: with a revisionHistoryLimit (not unset or MaxInt32), the old sets beyond
 * the limit, lowest revision first, that hold no replicas (spec and status), are not already
 * being deleted and whose status is up to date with their spec. Sets that still hold replicas count toward the excess but are kept.
 */
export function cleanupOldReplicaSets<T extends HistoryReplicaSet>(oldRSs: readonly (T | null | undefined)[], revisionHistoryLimit: number | null | undefined): T[] {
  if (typeof revisionHistoryLimit !== 'number' || revisionHistoryLimit === MAX_INT32) return [];
  const cleanable = oldRSs.filter((rs): rs is T => !!rs && !rs.beingDeleted);
  const diff = cleanable.length - revisionHistoryLimit;
  if (diff <= 0) return [];
  cleanable.sort(compareByRevision);
  const caughtUp = (rs: T) => rs.generation === undefined || rs.observedGeneration === undefined || rs.generation <= rs.observedGeneration;
  return cleanable.slice(0, diff).filter((rs) => (rs.statusReplicas ?? 0) === 0 && rs.replicas === 0 && caughtUp(rs));
}
