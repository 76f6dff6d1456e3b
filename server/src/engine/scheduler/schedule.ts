// schedule_one.go: filter every node (in the cache's order, resuming where the previous pod
// stopped, and stopping once enough feasible nodes are found, as percentageOfNodesToScore does),
// score the feasible ones with the default plugin weights, and pick the best. When nothing fits,
// the reason is FitError's message in kube-scheduler's exact words, including DefaultPreemption's
// verdict.
//
// The cycle runs the plugins' logic without going through each plugin object for every node
// (the shortcuts live in fastpath/): pods sharing a template form an equivalence class whose
// static answers are cached per node (equivalence.ts), filtering is yes/no (find-nodes.ts) and
// scoring works over typed arrays (prioritize.ts); explicit spread constraints and pod
// (anti-)affinity read the cache's per-domain match counts (topology-spread.ts,
// interpod-affinity.ts) instead of scanning every pod. The plugin objects stay the reference
// (runFilters, prioritizeNodes) and run whenever the shortcut does not cover a
// case, and for the reasons when no node fits.
//
// Simplifications, stated: ties between the best nodes go to the lowest node name (upstream picks
// one at random); preemption is evaluated for the message only (no victims are evicted, and its
// dry run keeps the spreading/affinity counts of the victims); the ImageLocality score and the
// volume plugins are not modelled (no image sizes, no volumes).
import type { SimNode, SimPod } from '../types';
import { SchedulerCache } from './cache';
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from './framework';
import { interPodAffinity } from './filters/interpodaffinity';
import { ERR_REASON_CONFLICT, nodeAffinity, nodeAffinityPreFilterNodeNames } from './filters/nodeaffinity';
import { nodeName } from './filters/nodename';
import { nodePorts } from './filters/nodeports';
import { nodeResourcesFit } from './filters/noderesources';
import { nodeUnschedulable } from './filters/nodeunschedulable';
import { podTopologySpread } from './filters/podtopologyspread';
import { taintToleration } from './filters/tainttoleration';
import { findFeasibleNodes } from './fastpath/find-nodes';
import { podInfo } from './podinfo';
import { defaultSpreadingZoneCounts, scoresPodAffinity, selectBestCandidate, usesDefaultSpreading } from './prioritize';
import { walkByBlocks } from './fastpath/block-walk';
import { beginGroupedChoice, finishGroupedChoice } from './fastpath/grouped-choice';
import type { EquivalenceClass } from './fastpath/equivalence';

export { DEFAULT_SCORES, prioritizeNodes } from './prioritize';

/** The default profile's filters, in upstream order; the first failing one decides a node's status. */
export const DEFAULT_FILTERS: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
];

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind with the adaptive default percentageOfNodesToScore (50% - nodes/125, at least 5%). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

export function runFilters(state: CycleState, nodeInfo: NodeInfo, filters: readonly FilterPlugin[] = DEFAULT_FILTERS): Status | undefined {
  for (const plugin of filters) {
    const status = plugin.filter(state, nodeInfo);
    if (status) return status;
  }
  return undefined;
}

/**
 * FitError.Error(): `0/N nodes are available: <count> <reason>, ...` with the count-prefixed
 * reasons sorted as strings (Go's sort.Strings), every reason of every node counted.
 */
export function fitErrorMessage(numAllNodes: number, statuses: readonly Status[], postFilterMessage?: string): string {
  const histogram = new Map<string, number>();
  for (const status of statuses) for (const reason of status.reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  const reasons = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort(compareGoStrings);
  let message = `0/${numAllNodes} nodes are available:`;
  if (reasons.length > 0) message += ` ${reasons.join(', ')}.`;
  if (postFilterMessage) message += ` ${postFilterMessage}.`;
  return message;
}

/** Byte-wise comparison, as Go compares strings (not locale-aware). */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/**
 * DefaultPreemption's dry run, for its message: nodes that failed with an unresolvable status
 * cannot be helped; elsewhere only pods of lower priority may be evicted; a node where the pod
 * fits once they are gone is a candidate.
 */
function evaluatePreemption(state: CycleState, failed: ReadonlyMap<NodeInfo, Status>): { candidate?: string; message: string } {
  if (state.pod.spec.preemptionNever) return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const statuses: Status[] = [];
  for (const [nodeInfo, status] of failed) {
    if (status.code === 'UnschedulableAndUnresolvable') {
      statuses.push({ code: 'UnschedulableAndUnresolvable', reasons: [PREEMPTION_NOT_HELPFUL], plugin: 'DefaultPreemption' });
      continue;
    }
    const victims = new Set<string>();
    for (const [uid, existing] of nodeInfo.pods) if (existing.spec.priority < state.pod.spec.priority) victims.add(uid);
    if (victims.size === 0) {
      statuses.push({ code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS], plugin: 'DefaultPreemption' });
      continue;
    }
    const after = runFilters(state, nodeInfo.without(victims));
    if (!after) return { candidate: nodeInfo.node.name, message: '' };
    statuses.push(after);
  }
  return { message: `preemption: ${fitErrorMessage(failed.size, statuses)}` };
}

/** The PodScheduled condition message (reason SchedulingGated) of a pod with scheduling gates. */
export const SCHEDULING_GATED = 'Scheduling is blocked due to non-empty scheduling gates';

export interface ScheduleResult {
  /** The node the pod is bound to. */
  nodeName?: string;
  /** Why no node fits (FailedScheduling event / PodScheduled condition message). */
  reason?: string;
  /** Preemption would make room on this node by evicting lower-priority pods (not simulated). */
  nominatedNodeName?: string;
}

/** FitError for a pod rejected at PreFilter: one message, every node unresolvable. */
function preFilterRejection(nodes: readonly NodeInfo[], state: CycleState, message: string): ScheduleResult {
  const everyNode = new Map(nodes.map((n) => [n, unresolvable('NodeAffinity', message)]));
  return { reason: `0/${nodes.length} nodes are available: ${message}. ${evaluatePreemption(state, everyNode).message}.` };
}

/** PreFilter's status for a node the pod's node-name affinity leaves out. */
function notNamed(): Status {
  return unresolvable('NodeAffinity', "node(s) didn't satisfy plugin(s) [NodeAffinity]");
}

/** The one candidate node left by PreFilter: feasible, or the FitError over every node. */
function schedulePinned(pod: SimPod, state: CycleState, cache: SchedulerCache, nodeInfo: NodeInfo): ScheduleResult {
  const allNodes = cache.nodeInfos;
  cache.nextStartNodeIndex = (cache.nextStartNodeIndex + 1) % allNodes.length;
  const status = runFilters(state, nodeInfo);
  if (!status) {
    cache.assumePod(pod, nodeInfo.node.name, state.pod);
    return { nodeName: nodeInfo.node.name };
  }
  const failed = new Map<NodeInfo, Status>();
  for (const n of allNodes) failed.set(n, n === nodeInfo ? status : notNamed());
  const preemption = evaluatePreemption(state, failed);
  const reason = fitErrorMessage(allNodes.length, [...failed.values()], preemption.message);
  return preemption.candidate ? { reason, nominatedNodeName: preemption.candidate } : { reason };
}

function scheduleWithCache(pod: SimPod, cache: SchedulerCache): ScheduleResult {
  const allNodes = cache.nodeInfos;
  // One scheduling cycle at a time per cache: its plugin state map is emptied, not made, per pod.
  const data = cache.cycleData;
  if (data.size > 0) data.clear();
  const state: CycleState = { pod: podInfo(pod), allNodes, data, aggregates: cache };
  // SchedulingGates (PreEnqueue): a gated pod never reaches the scheduling cycle.
  if (state.pod.spec.schedulingGates.length > 0) return { reason: SCHEDULING_GATED };
  if (allNodes.length === 0) return { reason: 'no nodes available to schedule pods' };
  // Statuses of the nodes that failed, kept only when some node is left out or nothing fits.
  let failed: Map<NodeInfo, Status> | undefined;

  // PreFilter: NodeAffinity may narrow the candidates to named nodes (DaemonSet pods).
  let nodes = allNodes;
  const named = nodeAffinityPreFilterNodeNames(state.pod.spec.requiredNodeAffinity);
  if (named === 'conflict') return preFilterRejection(allNodes, state, ERR_REASON_CONFLICT);
  // A pod pinned to one node (a DaemonSet pod's node-name affinity): its filters run on that node
  // alone, without an equivalence class over every node for a spec no other pod shares, and the
  // other nodes' statuses are written only when it does not fit.
  const pinned = named && named.size === 1 ? cache.nodeInfo([...named][0]) : undefined;
  if (pinned) return schedulePinned(pod, state, cache, pinned);
  if (named) {
    nodes = allNodes.filter((n) => named.has(n.node.name));
    failed = new Map();
    for (const n of allNodes) if (!named.has(n.node.name)) failed.set(n, notNamed());
  }

  const wanted = numFeasibleNodesToFind(nodes.length);
  const start = cache.nextStartNodeIndex % allNodes.length;
  const cls = cache.equivalenceClass(state.pod.spec);
  const candidates = cache.candidates;
  let chosenIndex = -1;
  let feasible: number;
  const grouped = nodes === allNodes ? groupedWalk(state, cls, cache, start, wanted) : undefined;
  if (grouped) {
    cache.nextStartNodeIndex = (start + grouped.processed) % allNodes.length;
    feasible = grouped.passed;
    chosenIndex = grouped.chosen;
  } else {
    const processed = findFeasibleNodes(state, cls, cache, nodes, start, wanted, candidates);
    cache.nextStartNodeIndex = (start + processed) % allNodes.length;
    feasible = candidates.count;
  }

  if (feasible === 0) {
    // Every node failed: evaluate them again plugin by plugin, in the same order, for the reasons
    // (the first failing filter of each) and for preemption, whose first candidate is nominated.
    failed ??= new Map();
    for (let i = 0; i < nodes.length; i++) {
      const nodeInfo = nodes[(start + i) % nodes.length];
      const status = runFilters(state, nodeInfo);
      if (status) failed.set(nodeInfo, status);
    }
    const preemption = evaluatePreemption(state, failed);
    const reason = fitErrorMessage(allNodes.length, [...failed.values()], preemption.message);
    return preemption.candidate ? { reason, nominatedNodeName: preemption.candidate } : { reason };
  }
  const chosen = (grouped ? allNodes[chosenIndex] : candidates.node(candidates.count === 1 ? 0 : selectBestCandidate(state, cls, candidates, cache))).node.name;
  cache.assumePod(pod, chosen, state.pod);
  return { nodeName: chosen };
}

/**
 * The filtering walk and the choice together, by blocks of nodes (fastpath/block-walk.ts), when the
 * grouped choice decides the pod: every node a candidate, no filter that reads other pods, every
 * static verdict of the class known (so whether TaintToleration scores differ is settled), default
 * spreading the only other score that differs. Otherwise undefined: the node-by-node walk runs.
 */
function groupedWalk(state: CycleState, cls: EquivalenceClass, cache: SchedulerCache, start: number, wanted: number): { processed: number; passed: number; chosen: number } | undefined {
  const pod = state.pod;
  if (pod.spec.hostPorts.length > 0 || cls.hasHardSpreadConstraints) return undefined;
  if (pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0 || cache.podsWithRequiredAntiAffinity > 0) return undefined;
  // No UNKNOWN verdict left is also what makes the walk's passingScore right: it reads UNKNOWN as passing.
  if (cls.unknownVerdicts > 0 || cls.hasTaintScores || pod.spec.preferredNodeAffinity.length > 0) return undefined;
  if (!usesDefaultSpreading(state) || scoresPodAffinity(state, cache)) return undefined;
  const ownerUid = (pod.pod.owner as { uid: string }).uid;
  const width = cache.maxActivePodsByOwnerOnANode(ownerUid) + 1;
  if (!beginGroupedChoice(cache.zoneKeys.length, width, wanted)) return undefined;
  const ownerPerNode = cache.activePodsByOwnerPerNode(ownerUid);
  const { processed, passed } = walkByBlocks(cls, cache, cache.blockSummaries(cls, ownerUid), ownerPerNode, width, start, wanted);
  const chosen = passed === 0 ? -1 : finishGroupedChoice(passed, width, defaultSpreadingZoneCounts(cache, ownerUid));
  return { processed, passed, chosen };
}

/**
 * Schedules one pod. With a SchedulerCache (kept up to date by the caller with syncPod/removePod)
 * the cost is O(nodes) and the chosen node is assumed in the cache at once, as kube-scheduler
 * does; with plain arrays a throwaway cache is built from the bound, unfinished pods (O(pods)).
 * Never throws: malformed specs read as empty.
 */
export function schedulePod(pod: SimPod, nodes: readonly SimNode[] | SchedulerCache, allPods: readonly SimPod[] = []): ScheduleResult {
  try {
    const cache = nodes instanceof SchedulerCache ? nodes : new SchedulerCache(nodes, allPods.filter((p) => p.uid !== pod.uid));
    return scheduleWithCache(pod, cache);
  } catch (error) {
    return { reason: `scheduler error: ${error instanceof Error ? error.message : String(error)}` };
  }
}
