// NodeAffinity score: sum of the weights of the preferred terms a node matches, normalised so
// the best node gets 100.
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { defaultNormalizeScore } from '../framework';
import { preferredNodeAffinityScore } from '../nodeaffinity';

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  applies(state: CycleState): boolean {
    return state.pod.spec.preferredNodeAffinity.length > 0;
  },
  score(state: CycleState, nodeInfo: NodeInfo): number {
    return preferredNodeAffinityScore(state.pod.spec.preferredNodeAffinity, nodeInfo.node);
  },
  normalize(_state: CycleState, scores: number[]): void {
    defaultNormalizeScore(scores, false);
  },
};
