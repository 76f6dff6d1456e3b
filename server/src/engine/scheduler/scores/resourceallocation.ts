// resourceAllocationScorer: the part LeastAllocated and BalancedAllocation share. For each
// configured resource it pairs the node's allocatable with what would be requested once the pod
// is there; a resource the node lacks, or a scalar resource the pod does not ask for, is skipped.
import type { Resources } from '../../types';
import type { NodeInfo } from '../framework';
import { isScalarResourceName } from '../requests';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** What the scorers need of a node. */
export interface NodeAllocationView {
  allocatable: Resources;
  requested: Resources;
  nonZeroRequested: { cpu: number; memory: number };
}

export function nodeAllocationView(nodeInfo: NodeInfo): NodeAllocationView {
  return { allocatable: nodeInfo.node.allocatable ?? {}, requested: nodeInfo.requested, nonZeroRequested: nodeInfo.nonZeroRequested };
}

/**
 * calculateResourceAllocatableRequest: [allocatable, requested incl. the pod]. With useRequested
 * false (LeastAllocated) cpu and memory use the non-zero sums (100m / 200Mi per container without requests).
 */
export function allocatableAndRequested(node: NodeAllocationView, resource: string, podRequest: number, useRequested: boolean): [number, number] {
  if (podRequest === 0 && isScalarResourceName(resource)) return [0, 0];
  switch (resource) {
    case 'cpu':
      return [node.allocatable.cpu ?? 0, (useRequested ? node.requested.cpu ?? 0 : node.nonZeroRequested.cpu) + podRequest];
    case 'memory':
      return [node.allocatable.memory ?? 0, (useRequested ? node.requested.memory ?? 0 : node.nonZeroRequested.memory) + podRequest];
    case 'ephemeral-storage':
      return [node.allocatable['ephemeral-storage'] ?? 0, (node.requested['ephemeral-storage'] ?? 0) + podRequest];
    default:
      if (resource in node.allocatable) return [node.allocatable[resource], (node.requested[resource] ?? 0) + podRequest];
      return [0, 0];
  }
}

/** The requested/allocatable vectors a scorer works on (entries with allocatable 0 are left at 0). */
export function allocationVectors(node: NodeAllocationView, resources: readonly ResourceSpec[], podRequests: Resources, useRequested: boolean) {
  const requested: number[] = [];
  const allocatable: number[] = [];
  for (const r of resources) {
    const [alloc, req] = allocatableAndRequested(node, r.name, podRequests[r.name] ?? 0, useRequested);
    allocatable.push(alloc);
    requested.push(alloc === 0 ? 0 : req);
  }
  return { requested, allocatable };
}
