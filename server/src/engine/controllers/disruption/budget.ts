// PodDisruptionBudgets and the disruption controller's arithmetic, after
// pkg/controller/disruption/disruption.go (getExpectedPodCount, countHealthyPods, updatePdbStatus):
//   maxUnavailable (int or %):  expected = the controllers' scale; desiredHealthy = expected - maxUnavailable
//                               (a percentage rounded up), at least 0
//   minAvailable int:           expected = the pods selected; desiredHealthy = minAvailable
//   minAvailable %:             expected = the controllers' scale; desiredHealthy = minAvailable of it, rounded up
//   currentHealthy:             selected pods that are Ready and not being deleted
//   disruptionsAllowed:         currentHealthy - desiredHealthy, 0 when negative or when expected is 0
// Worked example: 3 replicas, maxUnavailable 34% -> ceil(1.02) = 2 may be unavailable, desiredHealthy 1;
// minAvailable 50% -> ceil(1.5) = 2 healthy needed, 1 disruption allowed while all 3 are Ready.
import { getScaledValueFromIntOrPercent, intOrStringOf, type IntOrString } from '../../../k8s/intstr';
import { labelSelectorMatches, type LabelSelector } from '../../../k8s/labels';
import { isObj, type Obj } from '../../objects';
import { selectorOf } from '../replicaset/controller';

export interface PodDisruptionBudget {
  name: string;
  selector: LabelSelector;
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
  /** spec.unhealthyPodEvictionPolicy (default IfHealthyBudget). */
  unhealthyPodEvictionPolicy: 'IfHealthyBudget' | 'AlwaysAllow';
}

export interface BudgetStatus {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/** A pod as the budget counts it. */
export interface BudgetPod {
  labels: Record<string, string>;
  ready: boolean;
  deletionTimestamp?: number;
  phase: string;
}

/**
 * The PodDisruptionBudgets of `namespace` among `objects`. A budget without a selector selects
 * nothing; an empty selector `{}` selects every pod of the namespace in policy/v1 (its conversion
 * gives NonEmptyMatchEverythingSelector) and nothing in policy/v1beta1.
 */
export function budgetsFromObjects(objects: readonly unknown[], namespace: string): PodDisruptionBudget[] {
  const budgets: PodDisruptionBudget[] = [];
  for (const o of objects) {
    if (!isObj(o) || o.kind !== 'PodDisruptionBudget' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('policy/')) continue;
    const meta: Obj = isObj(o.metadata) ? o.metadata : {};
    if ((typeof meta.namespace === 'string' ? meta.namespace : 'default') !== namespace) continue;
    const spec: Obj = isObj(o.spec) ? o.spec : {};
    const selector = selectorOf(spec.selector);
    const empty = selector !== undefined && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    if (!selector || (empty && o.apiVersion !== 'policy/v1')) continue;
    // An empty string is read as left out (validation rejects it: not a percentage).
    const minAvailable = spec.minAvailable === '' ? undefined : intOrStringOf(spec.minAvailable);
    const maxUnavailable = spec.maxUnavailable === '' ? undefined : intOrStringOf(spec.maxUnavailable);
    budgets.push({
      name: typeof meta.name === 'string' ? meta.name : 'pdb',
      selector,
      ...(minAvailable !== undefined ? { minAvailable } : {}),
      ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
      unhealthyPodEvictionPolicy: spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' ? 'AlwaysAllow' : 'IfHealthyBudget',
    });
  }
  return budgets;
}

export function budgetSelects(budget: PodDisruptionBudget, labels: Record<string, string>): boolean {
  return labelSelectorMatches(budget.selector, labels);
}

/** A scaled value, or undefined when the int-or-string is malformed (the API server would reject it). */
function scaled(value: IntOrString, total: number): number | undefined {
  try {
    return getScaledValueFromIntOrPercent(value, total, true);
  } catch {
    return undefined;
  }
}

/**
 * The budget's status over the pods it selects. `scale` is the replicas of their controller
 * (getExpectedScale: a Deployment's for its ReplicaSets' pods).
 */
export function budgetStatus(budget: PodDisruptionBudget, pods: readonly BudgetPod[], scale: number): BudgetStatus {
  const selected = pods.filter((p) => budgetSelects(budget, p.labels));
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (budget.maxUnavailable !== undefined) {
    expectedPods = scale;
    desiredHealthy = Math.max(0, expectedPods - (scaled(budget.maxUnavailable, expectedPods) ?? 0));
  } else if (budget.minAvailable !== undefined) {
    if (typeof budget.minAvailable === 'number') {
      expectedPods = selected.length;
      desiredHealthy = budget.minAvailable;
    } else {
      expectedPods = scale;
      desiredHealthy = scaled(budget.minAvailable, expectedPods) ?? 0;
    }
  }
  // countHealthyPods: Ready and not being deleted (terminated pods are not Ready).
  const currentHealthy = selected.filter((p) => p.ready && p.deletionTimestamp === undefined).length;
  const allowed = currentHealthy - desiredHealthy;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: expectedPods <= 0 || allowed <= 0 ? 0 : allowed };
}

/** `kubectl get pdb` columns: MIN AVAILABLE, MAX UNAVAILABLE (N/A when unset), ALLOWED DISRUPTIONS. */
export function budgetColumns(budget: PodDisruptionBudget, status: BudgetStatus): Record<string, string | number> {
  return {
    'MIN AVAILABLE': budget.minAvailable === undefined ? 'N/A' : String(budget.minAvailable),
    'MAX UNAVAILABLE': budget.maxUnavailable === undefined ? 'N/A' : String(budget.maxUnavailable),
    'ALLOWED DISRUPTIONS': status.disruptionsAllowed,
  };
}
