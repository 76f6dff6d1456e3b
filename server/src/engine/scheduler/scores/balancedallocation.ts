// NodeResourcesBalancedAllocation: favour nodes whose resource usage fractions (with the pod) are
// close to each other: score = (1 - standard deviation of the fractions) * 100, truncated.
import type { Resources } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { MAX_NODE_SCORE } from '../framework';
import { DEFAULT_SCORING_RESOURCES } from './leastallocated';
import { type NodeAllocationView, type ResourceSpec, scoredAllocatable, scoredRequested } from './resourceallocation';

/** Population standard deviation of the usage fractions (each capped at 1), as a 0..100 score. */
export function balancedResourceScore(fractions: readonly number[]): number {
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    let total = 0;
    for (const f of fractions) total += f;
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** The plugin's raw score for one node. podRequests are the pod's actual requests (no scoring defaults). */
export function balancedAllocationScore(node: NodeAllocationView, podRequests: Resources, resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES): number {
  const fractions: number[] = [];
  for (const r of resources) {
    const podRequest = podRequests[r.name] ?? 0;
    const allocatable = scoredAllocatable(node, r.name, podRequest);
    if (allocatable === 0) continue;
    fractions.push(Math.min(1, scoredRequested(node, r.name, podRequest, true) / allocatable));
  }
  return balancedResourceScore(fractions);
}

/** A pod requesting none of the scored resources is skipped (upstream since 1.33, kubernetes#129138). */
export function isBestEffortForScoring(podRequests: Resources, resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES): boolean {
  return resources.every((r) => (podRequests[r.name] ?? 0) === 0);
}

export const nodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  applies(state: CycleState): boolean {
    return !isBestEffortForScoring(state.pod.spec.requests);
  },
  score(state: CycleState, nodeInfo: NodeInfo): number {
    return balancedAllocationScore(nodeInfo, state.pod.spec.requests);
  },
};
