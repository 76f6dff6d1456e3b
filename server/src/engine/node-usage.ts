// What each node's pods request at a step, and whether the node takes new pods: the numbers behind
// the Dry-run view's node bars. Kept per node from the pods the World marks changed, so a step of a
// large run costs the pods on the nodes it touched, not every pod.
import type { NodeUsage, Resources, SimNode, SimPod } from './types';
import { podRequests } from './scheduler/requests';

/**
 * A pod holds its node's resources from binding until it is gone: terminating pods included (they
 * run until their grace period ends), finished pods (Succeeded/Failed) not, as the scheduler's
 * NodeInfo counts them.
 */
export function holdsNodeResources(pod: SimPod): boolean {
  return pod.nodeName !== undefined && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/** One pod's requests (podRequests: the init-container max rule, overhead) as parallel lists, read once per pod template. */
export interface PodRequestList {
  resources: string[];
  amounts: number[];
}

export function podRequestList(spec: unknown): PodRequestList {
  const requests = podRequests(spec);
  return { resources: Object.keys(requests), amounts: Object.values(requests) };
}

/**
 * Adds one pod's requests and one `pods` to `sum`, resource by resource in the pod's order (so a
 * node's sums, and the order of their keys, are those of adding the pods' requests one by one).
 */
export function addPodRequests(sum: Resources, requests: PodRequestList): void {
  const { resources, amounts } = requests;
  for (let i = 0; i < resources.length; i++) sum[resources[i]] = (sum[resources[i]] ?? 0) + amounts[i];
  sum.pods = (sum.pods ?? 0) + 1;
}

function sameResources(a: Resources, b: Resources): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

export function sameNodeUsage(a: NodeUsage, b: NodeUsage): boolean {
  return a.ready === b.ready && a.unschedulable === b.unschedulable && sameResources(a.requested, b.requested);
}

/**
 * Tracks requested resources per node and reports the nodes whose usage or state changed since
 * the last reported step. Pods are keyed by object (a StatefulSet pod recreated under the same
 * name is another object; removals are applied before changes).
 */
export class NodeUsageTracker {
  /** node -> the pods holding its resources -> their requests. */
  private readonly podsByNode = new Map<string, Map<SimPod, PodRequestList>>();
  /** pod -> the node it holds resources on. */
  private readonly nodeOfPod = new Map<SimPod, string>();
  /** Pods of one template share its spec object: their requests are parsed once. */
  private readonly requestsOfSpec = new WeakMap<object, PodRequestList>();
  /** Nodes whose pods changed since the last report. */
  private readonly touched = new Set<string>();
  /** What the last reported step said about each node. */
  private readonly reported = new Map<string, NodeUsage>();

  constructor(private readonly nodes: readonly SimNode[]) {}

  /** Forget everything and count `pods` afresh; the next report lists every node. */
  reset(pods: readonly SimPod[]): void {
    this.podsByNode.clear();
    this.nodeOfPod.clear();
    this.touched.clear();
    this.reported.clear();
    for (let i = 0; i < pods.length; i++) this.place(pods[i]);
  }

  /** Apply the World's dirty state: pods removed, then pods changed or created. */
  observe(changed: readonly SimPod[], removed: readonly SimPod[]): void {
    for (let i = 0; i < removed.length; i++) this.unplace(removed[i]);
    for (let i = 0; i < changed.length; i++) {
      const pod = changed[i];
      const node = this.nodeOfPod.get(pod);
      if (node !== undefined && (!holdsNodeResources(pod) || pod.nodeName !== node)) this.unplace(pod);
      if (holdsNodeResources(pod) && !this.nodeOfPod.has(pod)) this.place(pod);
    }
  }

  /** Nodes whose usage or state differ from the last report (every node before the first one), in cluster order. */
  changes(): NodeUsage[] {
    const out: NodeUsage[] = [];
    for (const node of this.nodes) {
      const before = this.reported.get(node.name);
      if (before && before.ready === node.ready && before.unschedulable === node.unschedulable && !this.touched.has(node.name)) continue;
      const now = this.usageOf(node);
      if (!before || !sameNodeUsage(before, now)) out.push(now);
    }
    return out;
  }

  /** The step carrying `changes` was recorded: they are what the timeline now says. */
  markReported(changes: readonly NodeUsage[]): void {
    for (const usage of changes) this.reported.set(usage.name, usage);
    this.touched.clear();
  }

  private usageOf(node: SimNode): NodeUsage {
    const requested: Resources = {};
    this.podsByNode.get(node.name)?.forEach((requests) => addPodRequests(requested, requests));
    return { name: node.name, requested, ready: node.ready, unschedulable: node.unschedulable };
  }

  private place(pod: SimPod): void {
    if (!holdsNodeResources(pod)) return;
    const node = pod.nodeName!;
    let requests = this.requestsOfSpec.get(pod.spec);
    if (!requests) this.requestsOfSpec.set(pod.spec, (requests = podRequestList(pod.spec)));
    let pods = this.podsByNode.get(node);
    if (!pods) this.podsByNode.set(node, (pods = new Map()));
    pods.set(pod, requests);
    this.nodeOfPod.set(pod, node);
    this.touched.add(node);
  }

  private unplace(pod: SimPod): void {
    const node = this.nodeOfPod.get(pod);
    if (node === undefined) return;
    this.nodeOfPod.delete(pod);
    this.podsByNode.get(node)?.delete(pod);
    this.touched.add(node);
  }
}
