// The capacity of a scope: its long-running workloads placed together by kube-scheduler
// (place-together.ts), then read back per node and per zone (what is requested, what is left),
// which node is closest to full, what does not fit (the scheduler's FitError words), and what each
// node's failure would leave Pending.
//
// A node failure, as upstream plays it (node_lifecycle_controller.go, doNoExecuteTaintingPass): the
// node stops posting status, its Ready condition turns Unknown and it gets the
// node.kubernetes.io/unreachable NoSchedule and NoExecute taints. The taint manager
// (taint_eviction.go) deletes its pods once their toleration runs out (300 s from the
// DefaultTolerationSeconds admission plugin, or never with a toleration without tolerationSeconds).
// A ReplicaSet no longer counts a pod being deleted (controller_utils.go FilterActivePods) and
// creates a replacement, which the scheduler places on the nodes left. The others are not replaced:
// a DaemonSet pod tolerates the taint forever (AddOrUpdateDaemonPodTolerations), a bare Pod has no
// controller, and a StatefulSet pod on an unreachable node stays Terminating (its kubelet cannot
// confirm the deletion) and the StatefulSet controller creates no second pod of the same identity
// until it is gone ("Force Delete StatefulSet Pods" in the Kubernetes docs).
import { placeScope, type PlacedWorkload } from './place-together';
import { noExecuteTolerationSeconds } from './lifecycle';
import { TAINT_NODE_UNREACHABLE } from './controllers/daemonset/placement';
import { schedulePod, specInfo, type SchedulerCache } from './scheduler';
import type { Obj } from './objects';
import type { Resources, SimNode, SimPod } from './types';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The resources every report shows, in this order; others appear when some pod requests them. */
const ALWAYS_SHOWN = ['cpu', 'memory', 'pods'] as const;

export interface NodeCapacity {
  name: string;
  zone?: string;
  /** Takes new pods without a toleration: Ready, not cordoned, no NoSchedule/NoExecute taint. */
  open: boolean;
  /** `key=value:Effect` of each NoSchedule/NoExecute taint, and `cordoned`/`NotReady`: why it is not open. */
  closedBy: string[];
  allocatable: Resources;
  requested: Resources;
  /** allocatable - requested, per shown resource (negative never: the scheduler keeps within it). */
  headroom: Resources;
  /** requested / allocatable of the fullest shown resource (0..1), and which one. */
  fill: number;
  fullest: string;
  /** Pods bound here, per workload key. */
  pods: Record<string, number>;
}

export interface ZoneCapacity {
  /** The topology.kubernetes.io/zone value; '' for nodes without the label. */
  zone: string;
  nodes: number;
  /** Of those, the nodes open to any pod: the headroom is summed over them. */
  openNodes: number;
  allocatable: Resources;
  requested: Resources;
  headroom: Resources;
}

export interface CapacityWorkload extends PlacedWorkload {
  kind: string;
  name: string;
  namespace: string;
  /** One pod's requests (PodRequests), as the scheduler counts them. */
  podRequests: Resources;
}

export interface NodeFailure {
  node: string;
  /** Pods bound to the node that the taint manager evicts and their controller replaces. */
  replaced: number;
  /** Replacements the scheduler could not place, per workload, with its message for the first. */
  pending: { key: string; pods: number; message: string }[];
  /** Pods that stay on the failed node and are not replaced, per reason. */
  notReplaced: { daemonSet: number; statefulSet: number; barePod: number; toleratesForever: number };
}

/** A whole zone's failure: every node labelled with the zone unreachable at once. */
export interface ZoneFailure extends Omit<NodeFailure, 'node'> {
  /** The topology.kubernetes.io/zone value. */
  zone: string;
  /** The zone's nodes, all failed together. */
  nodes: number;
}

export interface CapacityReport {
  /** The resources shown, in order (cpu, memory, pods, then any other requested). */
  resources: string[];
  /** In the cluster file's order. */
  nodes: NodeCapacity[];
  /**
   * Node names in the order they fill: first the nodes that ran out of room for every pod of the
   * scope, in the order they did as the pods were placed; then the others, fullest first (fill,
   * then name). The first is the node that fills first.
   */
  fillOrder: string[];
  /** How many of fillOrder's first nodes ran out of room for every pod of the scope. */
  filled: number;
  zones: ZoneCapacity[];
  workloads: CapacityWorkload[];
  /** One entry per node holding replaceable pods, those leaving the most Pending first. */
  nodeFailures: NodeFailure[];
  /**
   * With nodes in two or more zones: one entry per zone holding replaceable pods, every node of
   * the zone unreachable at once (a zone outage), those leaving the most Pending first.
   */
  zoneFailures: ZoneFailure[];
  /** Workload documents of kinds that come and go (Jobs, CronJobs): not placed. */
  notPlaced: { key: string; kind: string; name: string }[];
}

/**
 * The capacity report for `kubernetesVersion` (default 1.35), or undefined when the scope has more
 * pods than placeTogether places (MAX_PLACED_PODS).
 */
export function capacityOf(workloads: readonly { key: string; object: Obj }[], nodes: readonly SimNode[], kubernetesVersion?: string): CapacityReport | undefined {
  const placement = placeScope(workloads, nodes, kubernetesVersion);
  if (!placement) return undefined;
  const { cache, pods } = placement;
  const byKey = new Map(workloads.map((w) => [w.key, w.object]));
  const placed = placement.workloads.map((p) => describeWorkload(p, byKey.get(p.key)!, pods.get(p.key) ?? []));
  const placedKeys = new Set(placed.map((w) => w.key));
  const notPlaced = workloads.filter((w) => !placedKeys.has(w.key)).map((w) => ({ key: w.key, ...identity(w.object) }));

  const resources = shownResources(placed);
  const podsPerNode = new Map<string, Record<string, number>>();
  for (const [key, list] of pods) {
    for (const pod of list) {
      if (pod.nodeName === undefined) continue;
      const counts = podsPerNode.get(pod.nodeName) ?? {};
      counts[key] = (counts[key] ?? 0) + 1;
      podsPerNode.set(pod.nodeName, counts);
    }
  }
  const nodeReports = nodes.map((node) => nodeCapacity(node, cache, resources, podsPerNode.get(node.name) ?? {}));
  const filled = new Set(placement.filled);
  // the pods on each node, built once for both failure analyses
  const onNode = podsByNode(pods);
  const fillOrder = [...placement.filled, ...[...nodeReports].filter((n) => !filled.has(n.name)).sort((a, b) => b.fill - a.fill || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((n) => n.name)];
  return {
    resources,
    nodes: nodeReports,
    fillOrder,
    filled: placement.filled.length,
    zones: zoneCapacity(nodeReports, resources),
    workloads: placed,
    nodeFailures: nodeFailures(nodes, cache, onNode),
    zoneFailures: zoneFailures(nodes, cache, onNode),
    notPlaced,
  };
}

function identity(object: Obj): { kind: string; name: string } {
  const metadata = (object.metadata ?? {}) as Obj;
  return { kind: String(object.kind ?? ''), name: typeof metadata.name === 'string' ? metadata.name : '' };
}

function describeWorkload(placed: PlacedWorkload, object: Obj, pods: readonly SimPod[]): CapacityWorkload {
  const metadata = (object.metadata ?? {}) as Obj;
  const first = pods[0];
  return {
    ...placed,
    ...identity(object),
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    podRequests: first ? requestsOf(first) : {},
  };
}

/** PodRequests as the scheduler parsed them (the spec's request list), plus the pod itself. */
function requestsOf(pod: SimPod): Resources {
  const out: Resources = {};
  for (const { name, amount } of specInfo(pod.spec).requestList) out[name] = amount;
  out.pods = 1;
  return out;
}

function shownResources(workloads: readonly CapacityWorkload[]): string[] {
  const shown: string[] = [...ALWAYS_SHOWN];
  for (const w of workloads) for (const [name, amount] of Object.entries(w.podRequests)) if (amount > 0 && !shown.includes(name)) shown.push(name);
  return shown;
}

function isClosingTaint(effect: string): boolean {
  return effect === 'NoSchedule' || effect === 'NoExecute';
}

function nodeCapacity(node: SimNode, cache: SchedulerCache, resources: readonly string[], pods: Record<string, number>): NodeCapacity {
  const info = cache.nodeInfo(node.name);
  const requested: Resources = {};
  const headroom: Resources = {};
  const allocatable: Resources = {};
  let fill = 0;
  let fullest = resources[0];
  for (const name of resources) {
    const used = name === 'pods' ? (info?.podCount ?? 0) : (info?.requested[name] ?? 0);
    const total = node.allocatable[name] ?? 0;
    allocatable[name] = total;
    requested[name] = used;
    headroom[name] = Math.max(0, total - used);
    const share = total > 0 ? used / total : used > 0 ? 1 : 0;
    if (share > fill) {
      fill = share;
      fullest = name;
    }
  }
  const closedBy = [
    ...(node.ready ? [] : ['NotReady']),
    ...(node.unschedulable ? ['cordoned'] : []),
    ...node.taints.filter((t) => isClosingTaint(t.effect)).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
  ];
  const zone = node.labels[ZONE_LABEL];
  return { name: node.name, ...(zone !== undefined ? { zone } : {}), open: closedBy.length === 0, closedBy, allocatable, requested, headroom, fill, fullest, pods };
}

function zoneCapacity(nodes: readonly NodeCapacity[], resources: readonly string[]): ZoneCapacity[] {
  const zones = new Map<string, ZoneCapacity>();
  for (const node of nodes) {
    const id = node.zone ?? '';
    let zone = zones.get(id);
    if (!zone) zones.set(id, (zone = { zone: id, nodes: 0, openNodes: 0, allocatable: zeroes(resources), requested: zeroes(resources), headroom: zeroes(resources) }));
    zone.nodes++;
    if (!node.open) continue;
    zone.openNodes++;
    for (const name of resources) {
      zone.allocatable[name] += node.allocatable[name];
      zone.requested[name] += node.requested[name];
      zone.headroom[name] += node.headroom[name];
    }
  }
  return [...zones.values()].sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
}

function zeroes(resources: readonly string[]): Resources {
  return Object.fromEntries(resources.map((r) => [r, 0]));
}

/** The taints a failed node carries once the node lifecycle controller sees its Ready condition Unknown. */
function unreachableTaints(node: SimNode): SimNode['taints'] {
  const kept = node.taints.filter((t) => t.key !== TAINT_NODE_UNREACHABLE);
  return [...kept, { key: TAINT_NODE_UNREACHABLE, effect: 'NoSchedule' }, { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' }];
}

/** Why a pod on a failed node is not replaced elsewhere, or undefined when its controller replaces it. */
function notReplacedBecause(pod: SimPod): keyof NodeFailure['notReplaced'] | undefined {
  const kind = pod.owner?.kind;
  if (kind === 'DaemonSet') return 'daemonSet';
  if (kind === 'Pod') return 'barePod';
  if (noExecuteTolerationSeconds(pod.spec, TAINT_NODE_UNREACHABLE) === undefined) return 'toleratesForever';
  if (kind === 'StatefulSet') return 'statefulSet';
  return undefined;
}

/**
 * Each node's failure in turn, on the placement's own cache (failTogether). Only nodes holding
 * replaceable pods are tried (the others leave nothing Pending).
 */
function nodeFailures(nodes: readonly SimNode[], cache: SchedulerCache, onNode: PodsByNode): NodeFailure[] {
  const failures: NodeFailure[] = [];
  for (const node of nodes) {
    const failure = failTogether([node], cache, onNode);
    if (failure) failures.push({ node: node.name, ...failure });
  }
  return failures.sort((a, b) => pendingPods(b) - pendingPods(a));
}

/**
 * Each zone's failure in turn (topology.kubernetes.io/zone, the label spreading and zonal storage
 * go by): all of its nodes unreachable at once, as when the zone loses power or network. Only with
 * nodes in two or more zones; nodes without the label belong to no zone and stay up.
 */
function zoneFailures(nodes: readonly SimNode[], cache: SchedulerCache, onNode: PodsByNode): ZoneFailure[] {
  const byZone = new Map<string, SimNode[]>();
  for (const node of nodes) {
    const zone = node.labels[ZONE_LABEL];
    if (zone !== undefined && zone !== '') byZone.set(zone, [...(byZone.get(zone) ?? []), node]);
  }
  if (byZone.size < 2) return [];
  const failures: ZoneFailure[] = [];
  for (const [zone, members] of [...byZone].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const failure = failTogether(members, cache, onNode);
    if (failure) failures.push({ zone, nodes: members.length, ...failure });
  }
  return failures.sort((a, b) => pendingPods(b) - pendingPods(a));
}

function pendingPods(f: Pick<NodeFailure, 'pending'>): number {
  return f.pending.reduce((sum, p) => sum + p.pods, 0);
}

/** The pods bound to each node, and each workload's place in the placement order. */
type PodsByNode = Map<string, { key: string; pod: SimPod }[]> & { order: Map<string, number> };

function podsByNode(pods: ReadonlyMap<string, SimPod[]>): PodsByNode {
  const onNode = Object.assign(new Map<string, { key: string; pod: SimPod }[]>(), { order: new Map([...pods.keys()].map((key, i) => [key, i])) });
  for (const [key, list] of pods) {
    for (const pod of list) {
      if (pod.nodeName === undefined) continue;
      const here = onNode.get(pod.nodeName) ?? [];
      here.push({ key, pod });
      onNode.set(pod.nodeName, here);
    }
  }
  return onNode;
}

/**
 * `failed` unreachable at once: each node tainted unreachable, the replaceable pods on them taken
 * off, their replacements scheduled in workload order on the nodes left, then all of it undone.
 * Undefined when the nodes hold no replaceable pod.
 */
function failTogether(failed: readonly SimNode[], cache: SchedulerCache, onNode: PodsByNode): Omit<NodeFailure, 'node'> | undefined {
  const failure: Omit<NodeFailure, 'node'> = { replaced: 0, pending: [], notReplaced: { daemonSet: 0, statefulSet: 0, barePod: 0, toleratesForever: 0 } };
  const evicted: { key: string; pod: SimPod }[] = [];
  for (const node of failed) {
    for (const entry of onNode.get(node.name) ?? []) {
      const reason = notReplacedBecause(entry.pod);
      if (reason) failure.notReplaced[reason]++;
      else evicted.push(entry);
    }
  }
  if (evicted.length === 0) return undefined;
  failure.replaced = evicted.length;
  const startIndex = cache.nextStartNodeIndex;
  for (const node of failed) cache.updateNodeState(node.name, { taints: unreachableTaints(node), ready: false, unschedulable: node.unschedulable });
  for (const { pod } of evicted) cache.removePod(pod);
  const replacements: SimPod[] = [];
  const pendingByKey = new Map<string, { key: string; pods: number; message: string }>();
  // Replacements in workload order, as the ReplicaSets would create them.
  const order = (key: string) => onNode.order.get(key) ?? 0;
  for (const { key, pod } of [...evicted].sort((a, b) => order(a.key) - order(b.key))) {
    const replacement: SimPod = { ...pod, uid: `${pod.uid}~${pod.nodeName}`, name: `${pod.name}-replacement`, nodeName: undefined, phase: 'Pending' };
    const result = schedulePod(replacement, cache);
    if (result.nodeName) {
      replacements.push(replacement);
      continue;
    }
    const entry = pendingByKey.get(key);
    if (entry) entry.pods++;
    else pendingByKey.set(key, { key, pods: 1, message: result.reason ?? '' });
  }
  failure.pending = [...pendingByKey.values()];
  // Undo: the replacements leave, the nodes and their pods come back as they were.
  for (const pod of replacements) cache.removePod(pod);
  for (const node of failed) cache.updateNodeState(node.name, node);
  for (const { pod } of evicted) cache.syncPod(pod);
  cache.nextStartNodeIndex = startIndex;
  return failure;
}
