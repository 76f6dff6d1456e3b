// Pod status conditions set by the actors that disrupt a pod (taint eviction, the eviction API):
// a Job's podFailurePolicy matches them (onPodConditions).
import type { PodCondition, SimPod } from '../types';

/** apipod.UpdatePodCondition: replaces the condition of that type, or adds it. */
export function setPodCondition(pod: SimPod, condition: PodCondition): void {
  pod.conditions = [...(pod.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}
