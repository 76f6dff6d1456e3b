// The eviction subresource's decision, after pkg/registry/core/pod/storage/eviction.go
// (EvictionREST.Create, canIgnorePDB, checkAndDecrement): a pod that is Pending, finished or
// already being deleted is deleted without looking at budgets; more than one budget selecting the
// pod is a 500; a pod that is not Ready may go while its budget is healthy (IfHealthyBudget) or
// always (AlwaysAllow); otherwise the budget must allow a disruption, else 429 Too Many Requests.
import { budgetSelects, type BudgetPod, type BudgetStatus, type PodDisruptionBudget } from './budget';

export const PDB_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDB_MESSAGE = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export type EvictionOutcome =
  | { evicted: true }
  /** 429 (retry later) or 500; `cause` is the DisruptionBudget status cause. */
  | { evicted: false; code: 429 | 500; message: string; cause?: string };

export function evictionOutcome(pod: BudgetPod, budgets: readonly { budget: PodDisruptionBudget; status: BudgetStatus }[]): EvictionOutcome {
  // canIgnorePDB: it already caused its disruption, or never ran.
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || pod.phase === 'Pending' || pod.deletionTimestamp !== undefined) return { evicted: true };
  const matching = budgets.filter((b) => budgetSelects(b.budget, pod.labels));
  if (matching.length > 1) return { evicted: false, code: 500, message: MULTIPLE_PDB_MESSAGE };
  if (matching.length === 0) return { evicted: true };
  const { budget, status } = matching[0];
  if (!pod.ready) {
    // An unready pod does not count as healthy: evicting it costs the budget nothing.
    if (budget.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { evicted: true };
    if (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0) return { evicted: true };
  }
  if (status.disruptionsAllowed === 0) {
    return { evicted: false, code: 429, message: PDB_VIOLATION_MESSAGE, cause: `The disruption budget ${budget.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently` };
  }
  return { evicted: true };
}
