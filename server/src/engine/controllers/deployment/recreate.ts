// The Recreate strategy of pkg/controller/deployment/recreate.go as pure steps: scale every old
// set to 0, wait until none of their pods is still running (terminating pods count), and only
// then create/scale the new set to the full size. The gap is the strategy's downtime.
import { getActualReplicaCountForReplicaSets, type DeploymentLike, type ReplicaSetLike } from './util';
import type { ScaleReplicaSet } from './rolling';

/** scaleDownOldReplicaSetsForRecreate: every active old set to 0; returns whether any was resized. */
export function scaleDownOldReplicaSetsForRecreate<T extends ReplicaSetLike>(oldRSs: readonly T[], scale: ScaleReplicaSet<T>): boolean {
  let scaled = false;
  for (const rs of oldRSs) {
    if (rs.replicas === 0) continue;
    if (scale(rs, 0)) scaled = true;
  }
  return scaled;
}

/**
 * oldPodsRunning: any old set still reports status.replicas, or any pod owned by a set other than
 * the new one is not Succeeded/Failed (Pending, Running, Unknown, or no phase yet).
 * `podPhasesByOwner` maps an owner uid to the phases of its pods.
 */
export function oldPodsRunning(newRSUid: string | undefined, oldRSs: readonly ReplicaSetLike[], podPhasesByOwner: ReadonlyMap<string, readonly string[]>): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [owner, phases] of podPhasesByOwner) {
    if (newRSUid !== undefined && owner === newRSUid) continue;
    if (phases.some((phase) => phase !== 'Failed' && phase !== 'Succeeded')) return true;
  }
  return false;
}

/** scaleUpNewReplicaSetForRecreate: the new set straight to the deployment's replicas. */
export function scaleUpNewReplicaSetForRecreate<T extends ReplicaSetLike>(newRS: T, d: Pick<DeploymentLike, 'replicas'>, scale: ScaleReplicaSet<T>): boolean {
  return scale(newRS, d.replicas);
}
