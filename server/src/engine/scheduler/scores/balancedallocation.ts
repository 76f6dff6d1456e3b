// NodeResourcesBalancedAllocation: favour nodes whose resource usage fractions (with the pod) are
// close to each other: score = (1 - standard deviation of the fractions) * 100, truncated.
import type { Resources } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { MAX_NODE_SCORE } from '../framework';
import { DEFAULT_SCORING_RESOURCES } from './leastallocated';
import { allocationVectors, type NodeAllocationView, nodeAllocationView, type ResourceSpec } from './resourceallocation';

export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = Math.min(1, requested[i] / allocatable[i]);
    total += fraction;
    fractions.push(fraction);
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    const sum = fractions.reduce((acc, f) => acc + (f - mean) * (f - mean), 0);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** The plugin's raw score for one node. podRequests are the pod's actual requests (no scoring defaults). */
export function balancedAllocationScore(node: NodeAllocationView, podRequests: Resources, resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES): number {
  const { requested, allocatable } = allocationVectors(node, resources, podRequests, true);
  return balancedResourceScore(requested, allocatable);
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
    return balancedAllocationScore(nodeAllocationView(nodeInfo), state.pod.spec.requests);
  },
};
