// The RollingUpdate strategy of pkg/controller/deployment/rolling.go as pure steps over
// ReplicaSet records. Every resize goes through a `scale` callback (upstream's
// scaleReplicaSetAndRecordEvent) so the simulator can record events and the conformance adapter
// can just count. A sync scales the new set up OR the old sets down, never both.
import {
  compareByCreationTimestamp,
  filterActiveReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  maxUnavailable,
  newRSNewReplicas,
  type DeploymentLike,
  type ReplicaSetLike,
} from './util';

/** Resizes `rs` to `newReplicas` (spec.replicas); returns whether the size changed. */
export type ScaleReplicaSet<T extends ReplicaSetLike> = (rs: T, newReplicas: number) => boolean;

/**
 * reconcileNewReplicaSet: shrink a new set that is larger than the deployment, otherwise grow it
 * by NewRSNewReplicas. Returns whether it was resized.
 */
export function reconcileNewReplicaSet<T extends ReplicaSetLike>(allRSs: readonly T[], newRS: T, d: DeploymentLike, scale: ScaleReplicaSet<T>): boolean {
  if (newRS.replicas === d.replicas) return false;
  if (newRS.replicas > d.replicas) return scale(newRS, d.replicas);
  return scale(newRS, newRSNewReplicas(d, allRSs, newRS));
}

/**
 * cleanupUnhealthyReplicas: scale old sets (oldest first) down by their unavailable replicas, at
 * most `maxCleanupCount` in total, so broken pods never block a rollout. Returns the count removed.
 */
export function cleanupUnhealthyReplicas<T extends ReplicaSetLike>(oldRSs: readonly T[], maxCleanupCount: number, scale: ScaleReplicaSet<T>): number {
  let totalScaledDown = 0;
  for (const rs of [...oldRSs].sort(compareByCreationTimestamp)) {
    if (totalScaledDown >= maxCleanupCount) break;
    const available = rs.availableReplicas ?? 0;
    if (rs.replicas === 0 || rs.replicas === available) continue;
    const scaledDownCount = Math.min(maxCleanupCount - totalScaledDown, rs.replicas - available);
    if (scaledDownCount <= 0) continue;
    scale(rs, rs.replicas - scaledDownCount);
    totalScaledDown += scaledDownCount;
  }
  return totalScaledDown;
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: remove healthy old replicas (oldest set first) while
 * the available pods of `allRSs` stay at or above minAvailable. Returns the count removed.
 */
export function scaleDownOldReplicaSetsForRollingUpdate<T extends ReplicaSetLike>(allRSs: readonly T[], oldRSs: readonly T[], d: DeploymentLike, scale: ScaleReplicaSet<T>): number {
  const minAvailable = d.replicas - maxUnavailable(d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvailable) return 0;
  const totalScaleDownCount = availablePodCount - minAvailable;
  let totalScaledDown = 0;
  for (const rs of [...oldRSs].sort(compareByCreationTimestamp)) {
    if (totalScaledDown >= totalScaleDownCount) break;
    if (rs.replicas === 0) continue;
    const scaleDownCount = Math.min(rs.replicas, totalScaleDownCount - totalScaledDown);
    scale(rs, rs.replicas - scaleDownCount);
    totalScaledDown += scaleDownCount;
  }
  return totalScaledDown;
}

export interface ReconcileOldResult {
  scaled: boolean;
  unhealthyCleanedUp: number;
  scaledDownHealthy: number;
}

/**
 * reconcileOldReplicaSets: how far old sets may shrink is allPods - minAvailable - the new set's
 * unavailable pods (so a crash-looping new set stops the rollout); unhealthy old replicas go
 * first, then healthy ones bounded by minAvailable. `oldRSs` are the ACTIVE old sets.
 *
 * Worked example: 10 replicas, maxSurge 3, maxUnavailable 2 (minAvailable 8); the old set has 10
 * available pods and the template changes.
 * - Sync 1: reconcileNewReplicaSet grows the new set to 3 (13 pods = 10 + maxSurge).
 * - Sync 2, new pods not ready yet: maxScaledDown = 13 - 8 - 3 unavailable new = 2. No old pod
 *   is unhealthy; 10 available - 8 = 2 healthy ones go: old 10 -> 8 (11 pods).
 * - Sync 3: the new set may grow by min(13 - 11, 10 - 3) = 2 -> 5.
 * - If the new pods crash-loop: maxScaledDown = 13 - 8 - 5 = 0, and the old set stays at 8 even
 *   when one of its pods fails: the rollout stops instead of eating into availability.
 * - If 3 new pods are available instead: maxScaledDown = 13 - 8 - 2 = 3, and 8 + 3 available
 *   - 8 = 3 healthy old pods go: old 8 -> 5.
 */
export function reconcileOldReplicaSets<T extends ReplicaSetLike>(allRSs: readonly T[], oldRSs: readonly T[], newRS: T, d: DeploymentLike, scale: ScaleReplicaSet<T>): ReconcileOldResult {
  const none = { scaled: false, unhealthyCleanedUp: 0, scaledDownHealthy: 0 };
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return none;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = d.replicas - maxUnavailable(d);
  const newRSUnavailablePodCount = newRS.replicas - (newRS.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return none;
  const unhealthyCleanedUp = cleanupUnhealthyReplicas(oldRSs, maxScaledDown, scale);
  const scaledDownHealthy = scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs, d, scale);
  return { scaled: unhealthyCleanedUp + scaledDownHealthy > 0, unhealthyCleanedUp, scaledDownHealthy };
}

export type RollingAction = 'scaleNewRS' | 'scaleDownOldRS';

/**
 * One rolloutRolling pass (without status and cleanup): scale the new set up if possible, else
 * scale old sets down. Returns what it did, or undefined when nothing could change.
 */
export function rolloutRollingStep<T extends ReplicaSetLike>(newRS: T, oldRSs: readonly T[], d: DeploymentLike, scale: ScaleReplicaSet<T>): RollingAction | undefined {
  const allRSs = [...oldRSs, newRS];
  if (reconcileNewReplicaSet(allRSs, newRS, d, scale)) return 'scaleNewRS';
  if (reconcileOldReplicaSets(allRSs, filterActiveReplicaSets(oldRSs), newRS, d, scale).scaled) return 'scaleDownOldRS';
  return undefined;
}
