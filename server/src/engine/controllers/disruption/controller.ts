// The disruption controller over the run's PodDisruptionBudgets: it keeps no state beyond the
// workload's scale (getExpectedScale: the replicas of the selected pods' controller) and reports
// each budget as `kubectl get pdb` prints it. The eviction API and the drain read its statuses.
import type { Controller, SimPod, StatusRow, World } from '../../types';
import { isObj, type Obj } from '../../objects';
import { budgetColumns, budgetSelects, budgetStatus, type BudgetStatus, type PodDisruptionBudget } from './budget';

/** Kinds whose spec.replicas is the scale a budget's percentages apply to. */
const SCALED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout']);

export class DisruptionController implements Controller {
  readonly kind = 'PodDisruptionBudget';
  readonly key = 'PodDisruptionBudget/*';
  readonly name = '*';
  private scale: number | undefined;

  constructor(
    readonly budgets: readonly PodDisruptionBudget[],
    workload: Obj,
  ) {
    this.update(workload);
  }

  /** The workload was edited: its replicas are the budgets' expected scale. */
  update(object: Obj): void {
    const spec = isObj(object.spec) ? object.spec : {};
    this.scale = SCALED_KINDS.has(String(object.kind)) ? (typeof spec.replicas === 'number' && spec.replicas >= 0 ? spec.replicas : 1) : undefined;
  }

  sync(): boolean {
    return false;
  }

  /** Every budget's status now. Without a scaled controller (a DaemonSet, a Job) the scale is the pods selected. */
  statuses(world: World): { budget: PodDisruptionBudget; status: BudgetStatus }[] {
    const pods = world.pods();
    return this.budgets.map((budget) => ({ budget, status: budgetStatus(budget, pods, this.scale ?? selectedAlive(budget, pods)) }));
  }

  status(world: World): StatusRow[] {
    return this.statuses(world).map(({ budget, status }) => ({ object: `poddisruptionbudget.policy/${budget.name}`, columns: budgetColumns(budget, status) }));
  }

  settled(): boolean {
    return true;
  }
}

function selectedAlive(budget: PodDisruptionBudget, pods: readonly SimPod[]): number {
  return pods.filter((p) => p.deletionTimestamp === undefined && p.phase !== 'Succeeded' && p.phase !== 'Failed' && budgetSelects(budget, p.labels)).length;
}
