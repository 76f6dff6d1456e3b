// Pods of one template are an equivalence class: the plugins that read only the pod spec and the
// node object (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity filters; TaintToleration
// and NodeAffinity raw scores) give every pod of the class the same answer on a node. They are
// computed once per class per node and kept until the nodes change (SchedulerCache.setNodes bumps
// the generation: a NotReady taint or a label edit is reported that way). Whether the class fits
// on a node and its resource scores there are kept too, until the node's pods change.
import type { Resources } from '../../types';
import type { CycleState, FilterPlugin, NodeInfo } from '../framework';
import { nodeAffinity } from '../filters/nodeaffinity';
import { nodeName } from '../filters/nodename';
import { nodeUnschedulable } from '../filters/nodeunschedulable';
import { taintToleration } from '../filters/tainttoleration';
import { preferredNodeAffinityScore } from '../nodeaffinity';
import type { SpecInfo } from '../podinfo';
import { type ResourceScoreInputs, resourceScore, resourceScoreInputs } from './resource-score';
import { countIntolerableTaintsPreferNoSchedule } from '../scores/tainttoleration';
import { BlockSummaries } from './block-summaries';

/** The filters that depend on nothing but the pod spec and the node, in the default profile's order. */
const STATIC_FILTERS: readonly FilterPlugin[] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity];

/** A node's static verdict for the class (staticVerdicts). */
export const UNKNOWN = 0;
const PASSES = 1;
export const FAILS = 2;
/** fitAndResourceScore's answer for a node the pod does not fit on (scores are never negative). */
export const NO_FIT = -1;

/** A resource the pod asks for, and how much: what NodeResourcesFit compares with the node's room. */
interface ResourceWant {
  name: string;
  amount: number;
}

/**
 * fitsRequest's checks reduced to comparisons: every resource with a positive request (the `pods`
 * count aside) must fit in allocatable minus requested. A request of 0 or less is never checked.
 */
function positiveRequests(requests: Resources): ResourceWant[] {
  const out: ResourceWant[] = [];
  for (const name in requests) if (name !== 'pods' && requests[name] > 0) out.push({ name, amount: requests[name] });
  return out;
}

export class EquivalenceClass {
  private generation = -1;
  /** Per node index: UNKNOWN, PASSES or FAILS the static filters (read directly by the filtering loop). */
  staticVerdicts = new Uint8Array(0);
  /** Raw TaintToleration score per node index (valid for nodes that passed the static filters). */
  taintScores = new Int32Array(0);
  /** Raw NodeAffinity score per node index (valid for nodes that passed the static filters). */
  affinityScores = new Float64Array(0);
  /** fitAndResourceScore per node, and the NodeInfo.version it was computed at (-1: never). */
  resourceScores = new Float64Array(0);
  resourceScoreVersions = new Float64Array(0);
  private readonly resourceInputs: ResourceScoreInputs;
  /** Whether any node passing the static filters has a TaintToleration raw score (untolerated PreferNoSchedule taints). */
  hasTaintScores = false;
  /** Nodes whose static verdict is still UNKNOWN: at 0, hasTaintScores is final for the node list. */
  unknownVerdicts = 0;
  /** Block summaries per controller uid (block-walk.ts), dropped with the verdicts, or by the cache with the controller's last active pod. */
  private readonly blocks = new Map<string, BlockSummaries>();
  /** The requests NodeResourcesFit checks, parsed once for the class: cpu and memory apart. */
  private readonly cpu: number;
  private readonly memory: number;
  private readonly otherWants: readonly ResourceWant[];

  /** Answers derived from the nodes for this class (which nodes count for its spread constraints), dropped with the verdicts. */
  private readonly nodeDerived = new Map<string, unknown>();

  /** PodTopologySpread's filter can reject: the spec has a DoNotSchedule constraint. */
  readonly hasHardSpreadConstraints: boolean;

  constructor(readonly spec: SpecInfo) {
    this.hasHardSpreadConstraints = spec.spreadConstraints.some((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    this.cpu = spec.requests.cpu ?? 0;
    this.memory = spec.requests.memory ?? 0;
    this.otherWants = positiveRequests(spec.requests).filter((w) => w.name !== 'cpu' && w.name !== 'memory');
    this.resourceInputs = resourceScoreInputs(spec);
  }

  /** Forgets every verdict when the node list changed since they were computed. */
  sync(generation: number, nodeCount: number): void {
    if (generation === this.generation && this.staticVerdicts.length === nodeCount) return;
    this.generation = generation;
    this.staticVerdicts = new Uint8Array(nodeCount);
    this.taintScores = new Int32Array(nodeCount);
    this.affinityScores = new Float64Array(nodeCount);
    this.resourceScores = new Float64Array(nodeCount);
    this.resourceScoreVersions = new Float64Array(nodeCount).fill(-1);
    this.hasTaintScores = false;
    this.unknownVerdicts = nodeCount;
    this.nodeDerived.clear();
    this.blocks.clear();
  }

  /** The block summaries of this class for the pods of controller `ownerUid`. */
  blockSummaries(ownerUid: string): BlockSummaries {
    let summaries = this.blocks.get(ownerUid);
    if (!summaries) this.blocks.set(ownerUid, (summaries = new BlockSummaries(this.staticVerdicts.length)));
    return summaries;
  }

  /** Forgets controller `ownerUid`'s block summaries (it has no pod left): made again if it gets one. */
  dropBlockSummaries(ownerUid: string): void {
    this.blocks.delete(ownerUid);
  }

  /** Whether block summaries are kept for controller `ownerUid`. */
  hasBlockSummaries(ownerUid: string): boolean {
    return this.blocks.has(ownerUid);
  }

  /** `compute()` once per node list for this class. */
  perNodeList<T>(key: string, compute: () => T): T {
    if (this.nodeDerived.has(key)) return this.nodeDerived.get(key) as T;
    const value = compute();
    this.nodeDerived.set(key, value);
    return value;
  }

  /** Whether the node passes the static filters (the state's pod must belong to this class). */
  passesStaticFilters(state: CycleState, nodeInfo: NodeInfo): boolean {
    const i = nodeInfo.index;
    let verdict = this.staticVerdicts[i];
    if (verdict === UNKNOWN) {
      verdict = PASSES;
      for (const plugin of STATIC_FILTERS) {
        if (plugin.filter(state, nodeInfo)) {
          verdict = FAILS;
          break;
        }
      }
      this.staticVerdicts[i] = verdict;
      this.unknownVerdicts--;
      // A node that passes will be scored: its static raw scores are computed alongside.
      if (verdict === PASSES) {
        const node = nodeInfo.node;
        this.taintScores[i] = node.taints && node.taints.length > 0 ? countIntolerableTaintsPreferNoSchedule(node.taints, this.spec.tolerations) : 0;
        if (this.taintScores[i] !== 0) this.hasTaintScores = true;
        this.affinityScores[i] = this.spec.preferredNodeAffinity.length > 0 ? preferredNodeAffinityScore(this.spec.preferredNodeAffinity, node) : 0;
      }
    }
    return verdict === PASSES;
  }

  /**
   * NodeResourcesFit's filter and the resource scores together: -1 when the pod does not fit,
   * otherwise LeastAllocated + BalancedAllocation (weighted). Both read only the node's sums, so the
   * answer is kept until the node's pods change (NodeInfo.version).
   */
  fitAndResourceScore(nodeInfo: NodeInfo): number {
    const i = nodeInfo.index;
    if (this.resourceScoreVersions[i] !== nodeInfo.version) {
      this.resourceScores[i] = this.fits(nodeInfo) ? resourceScore(nodeInfo, this.resourceInputs) : NO_FIT;
      this.resourceScoreVersions[i] = nodeInfo.version;
    }
    return this.resourceScores[i];
  }

  /** NodeResourcesFit's filter as a yes/no: the pod count and every positive request fit. */
  private fits(nodeInfo: NodeInfo): boolean {
    if (nodeInfo.podCount + 1 > nodeInfo.allocatablePods) return false;
    if (this.cpu > 0 && this.cpu > nodeInfo.allocatableCpu - nodeInfo.requestedCpu) return false;
    if (this.memory > 0 && this.memory > nodeInfo.allocatableMemory - nodeInfo.requestedMemory) return false;
    if (this.otherWants.length === 0) return true;
    const allocatable = nodeInfo.allocatable;
    const requested = nodeInfo.requested;
    for (const want of this.otherWants) {
      if (want.amount > (allocatable[want.name] ?? 0) - (requested[want.name] ?? 0)) return false;
    }
    return true;
  }
}
