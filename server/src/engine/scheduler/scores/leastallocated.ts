// NodeResourcesFit score, LeastAllocated strategy (the default): favour nodes with the most room
// left, per resource `(allocatable - requested) * 100 / allocatable`, then the weighted integer mean.
import type { Resources } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { MAX_NODE_SCORE } from '../framework';
import { type NodeAllocationView, type ResourceSpec, scoredAllocatable, scoredRequested } from './resourceallocation';

export const DEFAULT_SCORING_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The plugin's raw score for one node (0..100). podRequests are the non-zero requests (scoring defaults applied). */
export function leastAllocatedScore(node: NodeAllocationView, podRequests: Resources, resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES): number {
  let score = 0;
  let weightSum = 0;
  for (const r of resources) {
    const podRequest = podRequests[r.name] ?? 0;
    const allocatable = scoredAllocatable(node, r.name, podRequest);
    if (allocatable === 0) continue;
    score += leastRequestedScore(scoredRequested(node, r.name, podRequest, false), allocatable) * r.weight;
    weightSum += r.weight;
  }
  return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
}

export const nodeResourcesFitScore: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(state: CycleState, nodeInfo: NodeInfo): number {
    return leastAllocatedScore(nodeInfo, state.pod.spec.nonZeroRequests);
  },
};
