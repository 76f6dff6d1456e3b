// TaintToleration score: fewer untolerated PreferNoSchedule taints is better; normalised in
// reverse so the node with the most such taints gets 0.
import type { Taint, Toleration } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { cycleData, defaultNormalizeScore } from '../framework';
import { tolerationsTolerateTaint } from '../tolerations';

/** Tolerations that count for scoring: effect PreferNoSchedule or empty (all effects). */
export function preferNoScheduleTolerations(tolerations: readonly Toleration[]): Toleration[] {
  return tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** Untolerated PreferNoSchedule taints; `tolerations` are all the pod's (filtered here). */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  return countIntolerable(taints, preferNoScheduleTolerations(tolerations));
}

function countIntolerable(taints: readonly Taint[], relevant: readonly Toleration[]): number {
  let count = 0;
  for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(relevant, t)) count++;
  return count;
}

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(state: CycleState, nodeInfo: NodeInfo): number {
    const taints = nodeInfo.node.taints;
    if (!taints || taints.length === 0) return 0;
    return countIntolerable(taints, cycleData(state, this.name, () => preferNoScheduleTolerations(state.pod.spec.tolerations)));
  },
  normalize(_state: CycleState, scores: number[]): void {
    defaultNormalizeScore(scores, true);
  },
};
