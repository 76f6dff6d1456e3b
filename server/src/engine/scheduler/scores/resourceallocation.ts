// resourceAllocationScorer: the part LeastAllocated and BalancedAllocation share. For each
// configured resource it pairs the node's allocatable with what would be requested once the pod
// is there; a resource the node lacks, or a scalar resource the pod does not ask for, is skipped
// (allocatable reads as 0). Written without intermediate arrays: it runs for every feasible node.
import type { Resources } from '../../types';
import { isScalarResourceName } from '../requests';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** What the scorers need of a node (a NodeInfo is one). */
export interface NodeAllocationView {
  readonly allocatable: Resources;
  readonly requested: Resources;
  readonly nonZeroRequested: { cpu: number; memory: number };
}

/** calculateResourceAllocatableRequest, allocatable half: 0 means "skip this resource". */
export function scoredAllocatable(node: NodeAllocationView, resource: string, podRequest: number): number {
  if (podRequest === 0 && isScalarResourceName(resource)) return 0;
  return node.allocatable[resource] ?? 0;
}

/**
 * calculateResourceAllocatableRequest, requested half: the node's sum plus the pod. With
 * useRequested false (LeastAllocated) cpu and memory use the non-zero sums (100m / 200Mi for
 * containers without requests).
 */
export function scoredRequested(node: NodeAllocationView, resource: string, podRequest: number, useRequested: boolean): number {
  if (!useRequested && (resource === 'cpu' || resource === 'memory')) return node.nonZeroRequested[resource] + podRequest;
  return (node.requested[resource] ?? 0) + podRequest;
}
