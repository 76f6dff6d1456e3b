// The scheduling framework's vocabulary (pkg/scheduler/framework): a plugin's Status, the
// per-node NodeInfo with running sums, and the CycleState one scheduling attempt shares between
// its plugins.
import type { Resources, SimNode } from '../types';
import { hasPodAffinity, type PodInfo } from './podinfo';

export const MAX_NODE_SCORE = 100;

/**
 * Unschedulable: preemption might help. UnschedulableAndUnresolvable: removing pods cannot help
 * (a taint, affinity, a request bigger than the whole node).
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Status {
  code: StatusCode;
  /** kube-scheduler's words, one per failed check (NodeResourcesFit can report several). */
  reasons: string[];
  plugin: string;
}

export function unschedulable(plugin: string, ...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons, plugin };
}

export function unresolvable(plugin: string, ...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons, plugin };
}

function portKey(protocol: string, port: number): string {
  return `${protocol}/${port}`;
}

function activeOwner(info: PodInfo): string | undefined {
  return info.pod.deletionTimestamp === undefined ? info.pod.owner?.uid : undefined;
}

/** framework.NodeInfo: a node with the pods bound to it and what they hold. */
export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  /** pods.size, as a plain field for the scheduling loop. */
  podCount = 0;
  /** Sum of the pods' effective requests (NodeInfo.Requested). */
  readonly requested: Resources = {};
  /** Sum with the 100m / 200Mi scoring defaults (NodeInfo.NonZeroRequested: cpu and memory). */
  readonly nonZeroRequested = { cpu: 0, memory: 0 };
  /** HostPortInfo: `ip` -> `protocol/port` -> pods using it. */
  private readonly usedPorts = new Map<string, Map<string, number>>();
  /** Pods on this node that declare required pod anti-affinity (checked against every incoming pod). */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** Pods on this node that declare any pod affinity or anti-affinity (scored against every incoming pod). */
  readonly podsWithAffinity = new Set<PodInfo>();
  /** Non-terminating pods per controller owner uid (default topology spreading). */
  readonly activePodsByOwner = new Map<string, number>();
  /** Bumped on every pod added or removed: scores computed from the sums before are stale. */
  version = 0;
  /** Position in the cache's node order (set by SchedulerCache): per-node tables are indexed by it. */
  index = 0;
  /** The cache's copy of every node's version by index (SchedulerCache.nodeVersions), kept current here; none for a copy. */
  versionTable: Float64Array | undefined;
  /** Numbers the scheduling loop reads for every candidate node, kept as plain fields (no map lookups). */
  allocatableCpu = 0;
  allocatableMemory = 0;
  allocatablePods = 0;
  requestedCpu = 0;
  requestedMemory = 0;

  constructor(public node: SimNode) {
    this.readAllocatable();
  }

  /** The node object was replaced or changed in place (SchedulerCache.setNodes). */
  updateNode(node: SimNode): void {
    this.node = node;
    this.readAllocatable();
  }

  private readAllocatable(): void {
    const allocatable = this.node.allocatable ?? {};
    this.allocatableCpu = allocatable.cpu ?? 0;
    this.allocatableMemory = allocatable.memory ?? 0;
    this.allocatablePods = allocatable.pods ?? 0;
  }

  /** The controller a pod was counted under while not terminating (undefined otherwise). */
  countedOwnerOf(uid: string): string | undefined {
    return this.pods.get(uid)?.countedOwner;
  }

  get allocatable(): Resources {
    return this.node.allocatable ?? {};
  }


  /** Adds (or replaces) a pod; replacing first un-counts the previous copy. */
  addPod(info: PodInfo): void {
    this.removePod(info.pod.uid);
    this.pods.set(info.pod.uid, info);
    this.podCount = this.pods.size;
    this.account(info, 1);
  }

  /**
   * The pod's labels, owner or deletionTimestamp changed but not its spec: the stored PodInfo is
   * replaced and the owner counts follow; resources and ports are the same, so `version` stays and
   * the scores computed from the sums stay valid.
   */
  refreshPod(info: PodInfo): void {
    const uid = info.pod.uid;
    const old = this.pods.get(uid);
    if (!old) return this.addPod(info);
    this.pods.set(uid, info);
    if (this.podsWithRequiredAntiAffinity.delete(old)) this.podsWithRequiredAntiAffinity.add(info);
    if (this.podsWithAffinity.delete(old)) this.podsWithAffinity.add(info);
    const before = old.countedOwner;
    const after = activeOwner(info);
    info.countedOwner = after;
    if (before === after) return;
    if (before) {
      const n = (this.activePodsByOwner.get(before) ?? 0) - 1;
      if (n > 0) this.activePodsByOwner.set(before, n);
      else this.activePodsByOwner.delete(before);
    }
    if (after) this.activePodsByOwner.set(after, (this.activePodsByOwner.get(after) ?? 0) + 1);
  }

  removePod(uid: string): PodInfo | undefined {
    const info = this.pods.get(uid);
    if (!info) return undefined;
    this.pods.delete(uid);
    this.podCount = this.pods.size;
    this.account(info, -1);
    return info;
  }

  private account(info: PodInfo, sign: 1 | -1): void {
    this.version++;
    if (this.versionTable) this.versionTable[this.index] = this.version;
    const requests = info.spec.requestList;
    for (let i = 0; i < requests.length; i++) this.requested[requests[i].name] = (this.requested[requests[i].name] ?? 0) + sign * requests[i].amount;
    this.requestedCpu = this.requested.cpu ?? 0;
    this.requestedMemory = this.requested.memory ?? 0;
    this.nonZeroRequested.cpu += sign * (info.spec.nonZeroRequests.cpu ?? 0);
    this.nonZeroRequested.memory += sign * (info.spec.nonZeroRequests.memory ?? 0);
    for (let i = 0; i < info.spec.hostPorts.length; i++) {
      const p = info.spec.hostPorts[i];
      let byPort = this.usedPorts.get(p.hostIP);
      if (!byPort) this.usedPorts.set(p.hostIP, (byPort = new Map()));
      const key = portKey(p.protocol, p.hostPort);
      const n = (byPort.get(key) ?? 0) + sign;
      if (n > 0) byPort.set(key, n);
      else byPort.delete(key);
    }
    if (info.requiredAntiAffinityTerms.length > 0) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.add(info);
      else this.podsWithRequiredAntiAffinity.delete(info);
    }
    if (hasPodAffinity(info)) {
      if (sign > 0) this.podsWithAffinity.add(info);
      else this.podsWithAffinity.delete(info);
    }
    const owner = sign > 0 ? activeOwner(info) : info.countedOwner;
    if (sign > 0) info.countedOwner = owner;
    if (owner) {
      const n = (this.activePodsByOwner.get(owner) ?? 0) + sign;
      if (n > 0) this.activePodsByOwner.set(owner, n);
      else this.activePodsByOwner.delete(owner);
    }
  }

  /** HostPortInfo.CheckConflict: 0.0.0.0 conflicts with the same protocol/port on any IP, and vice versa. */
  hostPortConflicts(hostIP: string, protocol: string, hostPort: number): boolean {
    if (hostPort <= 0) return false;
    const key = portKey(protocol, hostPort);
    if (hostIP === '0.0.0.0') {
      for (const byPort of this.usedPorts.values()) if (byPort.has(key)) return true;
      return false;
    }
    return (this.usedPorts.get('0.0.0.0')?.has(key) ?? false) || (this.usedPorts.get(hostIP)?.has(key) ?? false);
  }

  /** A copy without some pods: what the node would look like after preempting them. */
  without(uids: ReadonlySet<string>): NodeInfo {
    const copy = new NodeInfo(this.node);
    // Copies of the entries: adding one sets its counted owner, which the entry here keeps as it was.
    for (const [uid, info] of this.pods) if (!uids.has(uid)) copy.addPod({ ...info });
    return copy;
  }
}

/** Cluster-wide sums the cache keeps current, so plugins can skip whole-cluster scans. */
export interface ClusterAggregates {
  podsWithAffinity: number;
  podsWithRequiredAntiAffinity: number;
  /** Non-terminating pods of a controller on the nodes whose topology.kubernetes.io/zone label is `zone` (default spreading). */
  activePodsByOwnerInZone(ownerUid: string, zone: string): number;
}

/** One scheduling attempt: the pod, every node, and per-plugin state computed once (PreFilter/PreScore). */
export interface CycleState {
  pod: PodInfo;
  /** Every node in the snapshot, in the scheduler's order. */
  allNodes: readonly NodeInfo[];
  /** Plugin-private data, keyed by plugin name. */
  data: Map<string, unknown>;
  /** Present when scheduling from a SchedulerCache; plugins fall back to scanning allNodes without it. */
  aggregates?: ClusterAggregates;
}

/** Memoised per-cycle plugin state (the PreFilter/PreScore extension points). */
export function cycleData<T>(state: CycleState, key: string, compute: () => T): T {
  if (state.data.has(key)) return state.data.get(key) as T;
  const value = compute();
  state.data.set(key, value);
  return value;
}

export interface FilterPlugin {
  name: string;
  /** undefined = the node passes. */
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** PreScore: false skips the plugin for this pod (upstream's Skip status). */
  applies?(state: CycleState, feasible: readonly NodeInfo[]): boolean;
  score(state: CycleState, nodeInfo: NodeInfo): number;
  /** NormalizeScore, in place over the feasible nodes' scores. */
  normalize?(state: CycleState, scores: number[], feasible: readonly NodeInfo[]): void;
}

/** helper.DefaultNormalizeScore: scale to 0..100 by the highest score; reversed for "fewer is better". */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
