// The scheduler's cache and snapshot (pkg/scheduler/backend/cache): NodeInfos kept up to date
// incrementally as pods bind, change and leave, so scheduling one pod costs O(nodes), not
// O(pods x nodes). Node order follows the cache's nodeTree: nodes interleaved zone by zone.
// Node objects may be changed in place (a NotReady taint) but must then be reported with
// setNodes: the per-node tables and the equivalence classes' answers are rebuilt from it. Pods
// matching a spread selector or an affinity term are counted per node and domain
// (fastpath/match-counts.ts); every pod change that matters to them (bind, deletion started, labels, removal) must reach
// syncPod/removePod, or the counts go stale.
import type { SimNode, SimPod } from '../types';
import { type ClusterAggregates, NodeInfo } from './framework';
import { Candidates } from './fastpath/candidates';
import { EquivalenceClass } from './fastpath/equivalence';
import { BLOCK_SHIFT, BLOCK_SIZE, type BlockSummaries } from './fastpath/block-summaries';
import type { LabelSelector } from '../../k8s/labels';
import { labelSelectorMatches } from '../../k8s/labels';
import { NodeCounts, selectorKey, termSelectionKey, topologyDomains, type TopologyDomains } from './fastpath/match-counts';
import { type AffinityTerm, affinityTermMatches, hasPodAffinity, type PodInfo, podInfo, type SpecInfo, specInfo } from './podinfo';
import { DEFAULT_SPREAD_OWNERS } from './scores/podtopologyspread';

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

/** utilnode.GetZoneKey: region and zone, or '' for nodes without either label. */
function zoneKey(node: SimNode): string {
  const labels = node.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** nodeTree.list: one node of each zone in turn, zones in the order they were first seen. */
function interleaveByZone(nodes: readonly SimNode[]): SimNode[] {
  const zones = new Map<string, SimNode[]>();
  for (const node of nodes) {
    const key = zoneKey(node);
    let list = zones.get(key);
    if (!list) zones.set(key, (list = []));
    list.push(node);
  }
  const lists = [...zones.values()];
  const out: SimNode[] = [];
  for (let i = 0; out.length < nodes.length; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]);
  }
  return out;
}

/** Pods that hold node resources: bound and not finished (terminating pods still hold theirs). */
function holdsResources(pod: SimPod): boolean {
  return !!pod.nodeName && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/** InterPodAffinity's hardPodAffinityWeight: an existing pod's required affinity scores like a preferred term of weight 1. */
const HARD_POD_AFFINITY_WEIGHT = 1;
/** Match counters kept at once; past it they are all dropped and rebuilt as pods ask for them (each rebuild is one pass over the pods). */
const MAX_MATCH_COUNTERS = 64;

/** An affinity term declared by pods already bound, with how many of them declare it on each node. */
export interface ExistingTerm {
  term: AffinityTerm;
  /** Score per declaring pod when the term matches the incoming pod (negative for anti-affinity); 0 for required anti-affinity. */
  weight: number;
  counts: NodeCounts;
}

/** A controller's non-terminating pods per node (by NodeInfo.index), in all, and at most on one node so far. */
interface OwnerNodeCounts {
  perNode: Int32Array;
  total: number;
  /** An upper bound of perNode's values: the highest count reached since the table was made (never lowered). */
  maxPerNode: number;
}

interface MatchCounter {
  counts: NodeCounts;
  matches: (pod: SimPod) => boolean;
}

/** Per-node facts indexed by NodeInfo.index, rebuilt with the node list. */
export interface NodeTable {
  /** Index into SchedulerCache.zoneKeys of the node's zone label value ('' when missing). */
  zoneKeyIds: Int32Array;
  /** 1 when the node has the topology.kubernetes.io/zone label. */
  zoneLabelled: Uint8Array;
  /** 1 when the node has the kubernetes.io/hostname label. */
  hostnameLabelled: Uint8Array;
  /** The node's position in name order: ties between scores go to the lowest name. */
  nameRanks: Int32Array;
  /**
   * What default spreading's raw score reads of the node besides the pod counts, as one number:
   * zoneKeyId * 4 + zoneLabelled * 2 + hostnameLabelled (nodes of one shape score alike for equal counts).
   */
  shapes: Int32Array;
}

function emptyNodeTable(): NodeTable {
  return { zoneKeyIds: new Int32Array(0), zoneLabelled: new Uint8Array(0), hostnameLabelled: new Uint8Array(0), nameRanks: new Int32Array(0), shapes: new Int32Array(0) };
}

export class SchedulerCache implements ClusterAggregates {
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /**
   * Non-terminating pods per controller on the nodes with a topology.kubernetes.io/zone label, by the
   * label value's id (zoneKeys), and in all: dropped when the controller has none left there.
   */
  private readonly ownerZoneCounts = new Map<string, { byZone: Float64Array; total: number }>();
  /**
   * Non-terminating pods per node (by NodeInfo.index) and in all, for controllers whose pods get
   * default spreading (hostname counts); dropped when a controller has none left, so runs with
   * many short-lived Jobs keep no tables.
   */
  private readonly ownerNodeCounts = new Map<string, OwnerNodeCounts>();
  private infos: NodeInfo[] = [];
  private byName = new Map<string, NodeInfo>();
  /** pod uid -> the node it is accounted on (a node dropped by setNodes takes its entries with it). */
  private podNode = new Map<string, NodeInfo>();
  /** Pods bound to a node the cache does not know (yet, or any more); accounted once the node appears. */
  private orphans = new Map<string, SimPod>();
  /** findNodesThatPassFilters resumes where the previous pod stopped, so every node gets its turn. */
  nextStartNodeIndex = 0;
  /** Bumped whenever the node list is replaced: per-node answers computed before are stale. */
  generation = 0;
  private readonly classes = new WeakMap<SpecInfo, EquivalenceClass>();
  /**
   * Per controller uid, the classes keeping block summaries for its pods (fastpath/block-walk.ts):
   * they are dropped with its last active pod, so a long run's old ReplicaSets leave none behind.
   */
  private readonly summaryHolders = new Map<string, Set<EquivalenceClass>>();
  /** Topology key -> each node's domain, for the current node list. */
  private domainTables = new Map<string, TopologyDomains>();
  /** Pods matching a selector (by signature) per node: created when a pod first asks, kept current on every pod change. */
  private counters = new Map<string, MatchCounter>();
  /** pod uid -> the counters it is counted in, so it is un-counted as it was counted (its labels may have changed since). */
  private countedIn = new Map<string, NodeCounts[]>();
  /** Required anti-affinity terms of bound pods, by term signature. */
  private readonly antiAffinityTerms = new Map<string, ExistingTerm>();
  /** Required affinity and preferred (anti-)affinity terms of bound pods, by signature and weight: InterPodAffinity scores them. */
  private readonly scoringTerms = new Map<string, ExistingTerm>();
  /** CycleState.data of the scheduling cycle running on this cache (schedule.ts scheduleWithCache empties it for each pod). */
  readonly cycleData = new Map<string, unknown>();
  /** The feasible-node list every scheduling cycle on this cache reuses (it holds NodeInfos: it lives as long as they do). */
  readonly candidates = new Candidates();

  constructor(nodes: readonly SimNode[] = [], pods: readonly SimPod[] = []) {
    this.setNodes(nodes);
    for (const pod of pods) this.syncPod(pod);
  }

  /** Every node, in the scheduler's evaluation order. */
  get nodeInfos(): readonly NodeInfo[] {
    return this.infos;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  /** Replaces the node list (a node added, removed, or its taints/readiness changed); pods on kept nodes stay. */
  setNodes(nodes: readonly SimNode[]): void {
    const previous = this.byName;
    this.byName = new Map();
    this.infos = interleaveByZone(nodes).map((node) => {
      const info = previous.get(node.name);
      if (info) {
        info.updateNode(node);
        this.byName.set(node.name, info);
        return info;
      }
      const fresh = new NodeInfo(node);
      this.byName.set(node.name, fresh);
      return fresh;
    });
    for (const [name, info] of previous) {
      if (this.byName.has(name)) continue;
      for (const [uid, pod] of info.pods) {
        this.podNode.delete(uid);
        this.orphans.set(uid, pod.pod);
      }
    }
    this.indexNodes();
    this.generation++;
    if (this.nextStartNodeIndex >= this.infos.length) this.nextStartNodeIndex = 0;
    // Labels (zones) may have changed: recount the cluster-wide sums from the nodes kept.
    this.podsWithAffinity = 0;
    this.podsWithRequiredAntiAffinity = 0;
    this.ownerZoneCounts.clear();
    this.ownerNodeCounts.clear();
    // Every class drops its summaries when next asked for (the generation moved): holders start again.
    this.summaryHolders.clear();
    this.counters.clear();
    this.countedIn.clear();
    this.antiAffinityTerms.clear();
    this.scoringTerms.clear();
    for (const info of this.infos) for (const pod of info.pods.values()) this.aggregate(pod, info, 1);
    for (const pod of [...this.orphans.values()]) if (this.byName.has(pod.nodeName as string)) this.syncPod(pod);
  }

  /**
   * One node's taints, readiness or cordon changed, not its labels or allocatable (a node failing):
   * the per-node answers are computed again (generation) but no pod is counted again, which
   * setNodes would do for every pod of the cluster.
   */
  updateNodeState(name: string, state: Pick<SimNode, 'taints' | 'ready' | 'unschedulable'>): void {
    const info = this.byName.get(name);
    if (!info) return;
    info.updateNode({ ...info.node, ...state });
    this.generation++;
  }

  /** Zone label values ('' for none) in order of first appearance: NodeTable.zoneKeyIds point into it. */
  zoneKeys: string[] = [];
  /** zoneKeys' positions by value. */
  private zoneIds = new Map<string, number>();
  /** A zero for every zone: the zone counts of a controller with no pod in a zone. */
  private noZoneCounts = new Float64Array(0);
  nodeTable: NodeTable = emptyNodeTable();
  /** Every NodeInfo's version by index, for loops that check a cached answer without touching the node objects. */
  nodeVersions = new Float64Array(0);
  /**
   * Per block of nodes (fastpath/block-walk.ts): bumped whenever a pod on one of its nodes is
   * added, removed or changes its counted owner or labels (every such change goes through aggregate).
   */
  blockVersions = new Float64Array(0);

  /** Positions, name order and the topology labels default spreading reads, for the scheduler's per-node tables. */
  private indexNodes(): void {
    const ids = new Map<string, number>();
    this.zoneIds = ids;
    const count = this.infos.length;
    const table: NodeTable = {
      zoneKeyIds: new Int32Array(count),
      zoneLabelled: new Uint8Array(count),
      hostnameLabelled: new Uint8Array(count),
      nameRanks: new Int32Array(count),
      shapes: new Int32Array(count),
    };
    this.zoneKeys = [];
    this.domainTables = new Map();
    this.nodeVersions = new Float64Array(count);
    this.blockVersions = new Float64Array((count + BLOCK_SIZE - 1) >> BLOCK_SHIFT);
    this.infos.forEach((info, i) => {
      const labels = info.node.labels ?? {};
      const zone = labels[ZONE];
      const key = zone ?? '';
      let id = ids.get(key);
      if (id === undefined) {
        ids.set(key, (id = this.zoneKeys.length));
        this.zoneKeys.push(key);
      }
      info.index = i;
      info.versionTable = this.nodeVersions;
      this.nodeVersions[i] = info.version;
      table.zoneKeyIds[i] = id;
      table.zoneLabelled[i] = zone !== undefined ? 1 : 0;
      table.hostnameLabelled[i] = labels[HOSTNAME] !== undefined ? 1 : 0;
      table.shapes[i] = id * 4 + table.zoneLabelled[i] * 2 + table.hostnameLabelled[i];
    });
    const byName = [...this.infos].sort((a, b) => (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0));
    byName.forEach((info, rank) => (table.nameRanks[info.index] = rank));
    this.nodeTable = table;
    this.noZoneCounts = new Float64Array(this.zoneKeys.length);
  }

  /** The equivalence class of pods sharing a parsed spec, with its per-node answers current. */
  equivalenceClass(spec: SpecInfo): EquivalenceClass {
    let cls = this.classes.get(spec);
    if (!cls) this.classes.set(spec, (cls = new EquivalenceClass(spec)));
    cls.sync(this.generation, this.infos.length);
    return cls;
  }

  /** Class `cls`'s block summaries for the pods of controller `ownerUid`, kept while it has active pods. */
  blockSummaries(cls: EquivalenceClass, ownerUid: string): BlockSummaries {
    let holders = this.summaryHolders.get(ownerUid);
    if (!holders) this.summaryHolders.set(ownerUid, (holders = new Set()));
    holders.add(cls);
    return cls.blockSummaries(ownerUid);
  }

  /** Non-terminating pods of a ReplicaSet/StatefulSet/ReplicationController on each node, by NodeInfo.index (undefined: none anywhere). */
  activePodsByOwnerPerNode(ownerUid: string): Int32Array | undefined {
    return this.ownerNodeCounts.get(ownerUid)?.perNode;
  }

  /** An upper bound of activePodsByOwnerPerNode's values (0 when the controller has none). */
  maxActivePodsByOwnerOnANode(ownerUid: string): number {
    return this.ownerNodeCounts.get(ownerUid)?.maxPerNode ?? 0;
  }

  activePodsByOwnerInZone(ownerUid: string, zone: string): number {
    const counts = this.ownerZoneCounts.get(ownerUid);
    const id = this.zoneIds.get(zone);
    return counts === undefined || id === undefined ? 0 : counts.byZone[id];
  }

  /** activePodsByOwnerInZone for every zone, by zoneKeys id (callers must not change it). */
  activePodsByOwnerPerZone(ownerUid: string): Float64Array {
    return this.ownerZoneCounts.get(ownerUid)?.byZone ?? this.noZoneCounts;
  }

  /** Each node's domain for a topology key (cached until the node list changes). */
  domains(key: string): TopologyDomains {
    let table = this.domainTables.get(key);
    if (!table) this.domainTables.set(key, (table = topologyDomains(this.infos, key)));
    return table;
  }

  /** countPodsMatchSelector's pods per node: not terminating, in `namespace`, matching; undefined for a selector that counts nothing. */
  spreadMatchCounts(selector: LabelSelector | null, namespace: string): NodeCounts | undefined {
    if (selector === null || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) return undefined;
    return this.matchCounter(`spread|${namespace}|${selectorKey(selector)}`, (p) => p.deletionTimestamp === undefined && p.namespace === namespace && labelSelectorMatches(selector, p.labels));
  }

  /** Pods (terminating ones too) matching an affinity term, per node. */
  termMatchCounts(term: AffinityTerm): NodeCounts {
    return this.matchCounter(`term|${termSelectionKey(term)}`, (p) => affinityTermMatches(term, p));
  }

  /** Pods matching every one of the terms, per node (required pod affinity counts those). */
  allTermsMatchCounts(terms: readonly AffinityTerm[]): NodeCounts {
    return this.matchCounter(`all|${terms.map(termSelectionKey).join('&')}`, (p) => terms.every((t) => affinityTermMatches(t, p)));
  }

  private matchCounter(signature: string, matches: (pod: SimPod) => boolean): NodeCounts {
    const existing = this.counters.get(signature);
    if (existing) return existing.counts;
    if (this.counters.size >= MAX_MATCH_COUNTERS) {
      this.counters.clear();
      this.countedIn.clear();
    }
    const counter: MatchCounter = { counts: new NodeCounts(this.infos.length), matches };
    this.counters.set(signature, counter);
    for (const info of this.infos) for (const p of info.pods.values()) if (matches(p.pod)) this.countIn(p.pod.uid, counter.counts, info.index);
    return counter.counts;
  }

  private countIn(uid: string, counts: NodeCounts, node: number): void {
    counts.add(node, 1);
    const list = this.countedIn.get(uid);
    if (list) list.push(counts);
    else this.countedIn.set(uid, [counts]);
  }

  /** Bound pods' required anti-affinity terms (each with its declaring pods per node). */
  existingAntiAffinityTerms(): Iterable<ExistingTerm> {
    return this.antiAffinityTerms.values();
  }

  /** Bound pods' terms InterPodAffinity scores the incoming pod against. */
  existingScoringTerms(): Iterable<ExistingTerm> {
    return this.scoringTerms.values();
  }

  private countTerm(table: Map<string, ExistingTerm>, term: AffinityTerm, weight: number, node: number, sign: 1 | -1): void {
    const key = `${weight}|${term.topologyKey}|${termSelectionKey(term)}`;
    let entry = table.get(key);
    if (!entry) {
      if (sign < 0) return;
      table.set(key, (entry = { term, weight, counts: new NodeCounts(this.infos.length) }));
    }
    entry.counts.add(node, sign);
    if (entry.counts.total === 0) table.delete(key);
  }

  /** The match counters and the term tables follow the pod. */
  private countMatches(pod: PodInfo, node: number, sign: 1 | -1): void {
    const uid = pod.pod.uid;
    if (sign > 0) {
      if (this.counters.size > 0) for (const counter of this.counters.values()) if (counter.matches(pod.pod)) this.countIn(uid, counter.counts, node);
    } else if (this.countedIn.size > 0) {
      const counted = this.countedIn.get(uid);
      if (counted) {
        for (const counts of counted) counts.add(node, -1);
        this.countedIn.delete(uid);
      }
    }
    if (!hasPodAffinity(pod)) return;
    for (const term of pod.requiredAntiAffinityTerms) this.countTerm(this.antiAffinityTerms, term, 0, node, sign);
    for (const term of pod.requiredAffinityTerms) this.countTerm(this.scoringTerms, term, HARD_POD_AFFINITY_WEIGHT, node, sign);
    for (const w of pod.preferredAffinityTerms) this.countTerm(this.scoringTerms, w.term, w.weight, node, sign);
    for (const w of pod.preferredAntiAffinityTerms) this.countTerm(this.scoringTerms, w.term, -w.weight, node, sign);
  }

  private aggregate(pod: PodInfo, nodeInfo: NodeInfo, sign: 1 | -1): void {
    this.blockVersions[nodeInfo.index >> BLOCK_SHIFT]++;
    if (hasPodAffinity(pod)) this.podsWithAffinity += sign;
    if (pod.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity += sign;
    this.countMatches(pod, nodeInfo.index, sign);
    const owner = pod.countedOwner;
    if (owner === undefined) return;
    const counts = this.ownerNodeCounts.get(owner);
    if (counts) {
      const n = (counts.perNode[nodeInfo.index] += sign);
      if (n > counts.maxPerNode) counts.maxPerNode = n;
      counts.total += sign;
      if (counts.total === 0) {
        this.ownerNodeCounts.delete(owner);
        this.dropBlockSummaries(owner);
      }
    } else if (sign > 0 && DEFAULT_SPREAD_OWNERS.has(pod.pod.owner?.kind ?? '')) {
      const perNode = new Int32Array(this.infos.length);
      perNode[nodeInfo.index] = 1;
      this.ownerNodeCounts.set(owner, { perNode, total: 1, maxPerNode: 1 });
    }
    const index = nodeInfo.index;
    if (this.nodeTable.zoneLabelled[index] === 0) return;
    let byOwner = this.ownerZoneCounts.get(owner);
    if (!byOwner) this.ownerZoneCounts.set(owner, (byOwner = { byZone: new Float64Array(this.zoneKeys.length), total: 0 }));
    byOwner.byZone[this.nodeTable.zoneKeyIds[index]] += sign;
    byOwner.total += sign;
    if (byOwner.total === 0) this.ownerZoneCounts.delete(owner);
  }

  /** The controller has no active pod left: its block summaries would only take room (made again if it gets one). */
  private dropBlockSummaries(owner: string): void {
    const holders = this.summaryHolders.get(owner);
    if (!holders) return;
    for (const cls of holders) cls.dropBlockSummaries(owner);
    this.summaryHolders.delete(owner);
  }

  /** Brings one pod up to date: accounted on its node while bound and not finished, dropped otherwise. */
  syncPod(pod: SimPod): void {
    const nodeInfo = this.podNode.get(pod.uid);
    const accounted = nodeInfo?.pods.get(pod.uid);
    if (nodeInfo && accounted && accounted.pod === pod && pod.nodeName === nodeInfo.node.name && holdsResources(pod) && accounted.spec === specInfo(pod.spec)) {
      // Same pod, node and spec (a deletion started, labels changed): only the counts by label and owner move.
      // Without pod (anti-)affinity terms nothing of the entry depends on the labels: it is refreshed
      // in place (refreshPod reads its counted owner before setting the new one), not parsed again,
      // as each pod of a scale-down is when its deletion starts.
      const parsed = hasPodAffinity(accounted) ? podInfo(pod) : accounted;
      this.aggregate(accounted, nodeInfo, -1);
      nodeInfo.refreshPod(parsed);
      this.aggregate(parsed, nodeInfo, 1);
      return;
    }
    this.removePod(pod.uid);
    if (holdsResources(pod)) this.assumePod(pod, pod.nodeName as string);
  }

  /** AssumePod: account the pod on a node before (or without) setting pod.nodeName; `parsed` saves re-reading the pod. */
  assumePod(pod: SimPod, nodeName: string, parsed: PodInfo = podInfo(pod)): void {
    this.removePod(pod.uid);
    const info = this.byName.get(nodeName);
    if (!info) {
      if (pod.nodeName === nodeName) this.orphans.set(pod.uid, pod);
      return;
    }
    info.addPod(parsed);
    this.aggregate(parsed, info, 1);
    this.podNode.set(pod.uid, info);
  }

  /** The pod left the cluster (or finished): its resources and ports are free again. */
  removePod(podOrUid: SimPod | string): void {
    const uid = typeof podOrUid === 'string' ? podOrUid : podOrUid.uid;
    // Most runs have no orphan: a delete from an empty map is not free.
    if (this.orphans.size > 0) this.orphans.delete(uid);
    const info = this.podNode.get(uid);
    if (info === undefined) return;
    const parsed = info.pods.get(uid);
    if (parsed) {
      this.aggregate(parsed, info, -1);
      info.removePod(uid);
    }
    this.podNode.delete(uid);
  }

  /** The node a pod is accounted on, if any. */
  nodeOf(uid: string): string | undefined {
    return this.podNode.get(uid)?.node.name;
  }
}
