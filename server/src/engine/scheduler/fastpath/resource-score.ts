// NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation over the default scoring
// resources (cpu and memory, weight 1 each), weighted and summed for one node: the plugins'
// arithmetic over the NodeInfo's plain fields, for the scheduling loop. Neither plugin normalises,
// so the sum is final and can be kept until the node's pods change.
import type { NodeInfo } from '../framework';
import { MAX_NODE_SCORE } from '../framework';
import type { SpecInfo } from '../podinfo';
import { isBestEffortForScoring, nodeResourcesBalancedAllocation } from '../scores/balancedallocation';
import { nodeResourcesFitScore } from '../scores/leastallocated';

// Module-level copies of the plugins' constants: the hot loop reads them for every node.
const MAX_SCORE = MAX_NODE_SCORE;
const FIT_WEIGHT = nodeResourcesFitScore.weight;
const BALANCED_WEIGHT = nodeResourcesBalancedAllocation.weight;

/** leastRequestedScore's arithmetic, local: an imported binding read per node costs a getter call when run through tsx. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_SCORE) / capacity);
}

/** NodeResourcesFit LeastAllocated over cpu and memory (DEFAULT_SCORING_RESOURCES, weight 1 each). */
function leastAllocated(nodeInfo: NodeInfo, cpu: number, memory: number): number {
  let score = 0;
  let weightSum = 0;
  if (nodeInfo.allocatableCpu !== 0) {
    score += leastRequested(nodeInfo.nonZeroRequested.cpu + cpu, nodeInfo.allocatableCpu);
    weightSum++;
  }
  if (nodeInfo.allocatableMemory !== 0) {
    score += leastRequested(nodeInfo.nonZeroRequested.memory + memory, nodeInfo.allocatableMemory);
    weightSum++;
  }
  return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
}

/** NodeResourcesBalancedAllocation over cpu and memory: (1 - std of the usage fractions) * 100. */
function balancedAllocation(nodeInfo: NodeInfo, cpu: number, memory: number): number {
  let std = 0;
  if (nodeInfo.allocatableCpu !== 0 && nodeInfo.allocatableMemory !== 0) {
    const cpuFraction = Math.min(1, (nodeInfo.requestedCpu + cpu) / nodeInfo.allocatableCpu);
    const memoryFraction = Math.min(1, (nodeInfo.requestedMemory + memory) / nodeInfo.allocatableMemory);
    std = Math.abs((cpuFraction - memoryFraction) / 2);
  }
  return Math.trunc((1 - std) * MAX_SCORE);
}

/** The requests both scores read, taken from the pod spec once per class. */
export interface ResourceScoreInputs {
  nonZeroCpu: number;
  nonZeroMemory: number;
  cpu: number;
  memory: number;
  balanced: boolean;
}

export function resourceScoreInputs(spec: SpecInfo): ResourceScoreInputs {
  return {
    nonZeroCpu: spec.nonZeroRequests.cpu ?? 0,
    nonZeroMemory: spec.nonZeroRequests.memory ?? 0,
    cpu: spec.requests.cpu ?? 0,
    memory: spec.requests.memory ?? 0,
    // A pod requesting neither cpu nor memory is skipped by BalancedAllocation.
    balanced: !isBestEffortForScoring(spec.requests),
  };
}

/** FIT_WEIGHT x LeastAllocated + BALANCED_WEIGHT x BalancedAllocation for the pod on the node. */
export function resourceScore(nodeInfo: NodeInfo, inputs: ResourceScoreInputs): number {
  let total = leastAllocated(nodeInfo, inputs.nonZeroCpu, inputs.nonZeroMemory) * FIT_WEIGHT;
  if (inputs.balanced) total += balancedAllocation(nodeInfo, inputs.cpu, inputs.memory) * BALANCED_WEIGHT;
  return total;
}
