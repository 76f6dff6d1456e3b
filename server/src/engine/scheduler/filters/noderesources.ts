// NodeResourcesFit (filter): the pod's effective requests must fit in allocatable minus what the
// pods already on the node request; a node also holds at most `pods` pods. Reasons come in
// upstream order: pods, cpu, memory, ephemeral-storage, then scalar resources (sorted by name here,
// where Go's map order is random).
import type { Resources } from '../../types';
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable, unschedulable } from '../framework';
import { isExtendedResourceName } from '../requests';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the whole node: preempting pods cannot help. */
  unresolvable: boolean;
}

/** What fitsRequest needs of a node. */
export interface NodeResourceView {
  allocatable: Resources;
  requested: Resources;
  podCount: number;
}

const NATIVE = ['cpu', 'memory', 'ephemeral-storage'];
const NO_IGNORED: ReadonlySet<string> = new Set();

function checkResource(out: InsufficientResource[], name: string, podRequest: Resources, node: NodeResourceView): void {
  const want = podRequest[name] ?? 0;
  if (want <= 0) return;
  const capacity = node.allocatable[name] ?? 0;
  const used = node.requested[name] ?? 0;
  if (want > capacity - used) {
    out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: want, used, capacity, unresolvable: want > capacity });
  }
}

/** fitsRequest: every resource the pod cannot get on the node, in upstream order. */
export function fitsRequest(podRequest: Resources, node: NodeResourceView, ignoredResources: ReadonlySet<string> = NO_IGNORED): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowedPods = node.allocatable.pods ?? 0;
  if (node.podCount + 1 > allowedPods) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.podCount, capacity: allowedPods, unresolvable: false });
  }
  let requestsSomething = false;
  for (const name in podRequest) if (podRequest[name] !== 0 && name !== 'pods') requestsSomething = true;
  if (!requestsSomething) return out;

  for (const name of NATIVE) checkResource(out, name, podRequest, node);
  let scalars: string[] | undefined;
  for (const name in podRequest) {
    if (name === 'pods' || NATIVE.includes(name)) continue;
    if (isExtendedResourceName(name) && (ignoredResources.has(name) || ignoredResources.has(name.split('/')[0]))) continue;
    (scalars ??= []).push(name);
  }
  if (scalars) for (const name of scalars.sort()) checkResource(out, name, podRequest, node);
  return out;
}

export function insufficientResourcesStatus(insufficient: readonly InsufficientResource[]): Status | undefined {
  if (insufficient.length === 0) return undefined;
  const reasons = insufficient.map((r) => r.reason);
  return insufficient.some((r) => r.unresolvable) ? unresolvable('NodeResourcesFit', ...reasons) : unschedulable('NodeResourcesFit', ...reasons);
}

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    const view = { allocatable: nodeInfo.node.allocatable ?? {}, requested: nodeInfo.requested, podCount: nodeInfo.podCount };
    return insufficientResourcesStatus(fitsRequest(state.pod.spec.requests, view));
  },
};
