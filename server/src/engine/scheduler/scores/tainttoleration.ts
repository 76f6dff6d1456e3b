// TaintToleration score: fewer untolerated PreferNoSchedule taints is better; normalised in
// reverse so the node with the most such taints gets 0.
import type { Taint, Toleration } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { defaultNormalizeScore } from '../framework';
import { tolerationsTolerateTaint } from '../tolerations';

/** Tolerations that count for scoring: effect PreferNoSchedule or empty (all effects). */
export function preferNoScheduleTolerations(tolerations: readonly Toleration[]): Toleration[] {
  return tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  const relevant = preferNoScheduleTolerations(tolerations);
  return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(relevant, t)).length;
}

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(state: CycleState, nodeInfo: NodeInfo): number {
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.node.taints ?? [], state.pod.spec.tolerations);
  },
  normalize(_state: CycleState, scores: number[]): void {
    defaultNormalizeScore(scores, true);
  },
};
