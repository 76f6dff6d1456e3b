// PodTopologySpread for explicit constraints, from the cache's match counts: PreFilter/PreScore
// read the matching pods of each domain from running sums instead of counting every pod, so a pod
// costs O(domains + candidate nodes). The arithmetic is the plugin's own (filters/ and scores/
// podtopologyspread.ts stay the reference; the scores run through the plugin with this state).
import { labelSelectorMatches } from '../labels';
import type { SchedulerCache } from './cache';
import type { EquivalenceClass } from './equivalence';
import type { CycleState, NodeInfo } from './framework';
import { matchNodeInclusionPolicies, resolveConstraint } from './filters/podtopologyspread';
import type { NodeCounts, TopologyDomains } from './matchcounts';
import type { PodInfo, RawSpreadConstraint } from './podinfo';
import type { PreScoreState, ScoreConstraint } from './scores/podtopologyspread';

const HOSTNAME = 'kubernetes.io/hostname';

/** A yes/no filter over NodeInfo.index. */
export type NodeCheck = (nodeIndex: number) => boolean;

/**
 * The nodes whose pods count for one constraint of a class: they carry every constraint's key and
 * pass its node inclusion policies. Kept per class until the node list changes.
 */
interface CountingNodes {
  domains: TopologyDomains;
  /** Nodes that carry this constraint's key but do not count. */
  excluded: Int32Array;
  /** Counting nodes per domain: a domain exists for the constraint when it has one. */
  perDomain: Int32Array;
}

function countingNodes(cache: SchedulerCache, pod: PodInfo, raws: readonly RawSpreadConstraint[]): CountingNodes[] {
  return raws.map((raw) => {
    const domains = cache.domains(raw.topologyKey);
    // Only the constraint's policies are read here: the same for every pod of the class.
    const policies = resolveConstraint(raw, pod.pod);
    const excluded: number[] = [];
    const perDomain = new Int32Array(domains.values.length);
    for (const info of cache.nodeInfos) {
      const id = domains.ids[info.index];
      if (id < 0) continue;
      const node = info.node;
      if (raws.every((r) => node.labels?.[r.topologyKey] !== undefined) && matchNodeInclusionPolicies(policies, pod, node)) perDomain[id]++;
      else excluded.push(info.index);
    }
    return { domains, excluded: Int32Array.from(excluded), perDomain };
  });
}

/** Matching pods per domain, counting only the counting nodes. */
function countingSums(nodes: CountingNodes, counts: NodeCounts | undefined): Int32Array {
  const sums = new Int32Array(nodes.domains.values.length);
  if (!counts) return sums;
  sums.set(counts.domainSums(nodes.domains).sums);
  for (const at of nodes.excluded) sums[nodes.domains.ids[at]] -= counts.perNode[at];
  return sums;
}

/** PodTopologySpread's filter for the pod's DoNotSchedule constraints, as a check per node. */
export function hardSpreadCheck(state: CycleState, cls: EquivalenceClass, cache: SchedulerCache): NodeCheck {
  const pod = state.pod;
  const raws = pod.spec.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  const nodes = cls.perNodeList('PodTopologySpread/filter', () => countingNodes(cache, pod, raws));
  const ids: Int32Array[] = [];
  const sums: Int32Array[] = [];
  /** Most matching pods a node's domain may hold: maxSkew + global minimum - (1 if the pod matches itself). */
  const limits: number[] = [];
  raws.forEach((raw, i) => {
    const c = resolveConstraint(raw, pod.pod);
    const n = nodes[i];
    const s = countingSums(n, cache.spreadMatchCounts(c.selector, pod.pod.namespace));
    let present = 0;
    let min = Infinity;
    for (let d = 0; d < s.length; d++) {
      if (n.perDomain[d] === 0) continue;
      present++;
      if (s[d] < min) min = s[d];
    }
    if (present < c.minDomains || present === 0) min = 0;
    const self = c.selector !== null && labelSelectorMatches(c.selector, pod.pod.labels) ? 1 : 0;
    ids.push(n.domains.ids);
    sums.push(s);
    limits.push(c.maxSkew + min - self);
  });
  return (at) => {
    for (let i = 0; i < limits.length; i++) {
      const d = ids[i][at];
      if (d < 0 || sums[i][d] > limits[i]) return false;
    }
    return true;
  };
}

/** PodTopologySpread's PreScore state for the pod's ScheduleAnyway constraints over the feasible nodes. */
export function softSpreadPreScore(state: CycleState, cls: EquivalenceClass, cache: SchedulerCache, feasible: readonly NodeInfo[]): PreScoreState {
  const pod = state.pod;
  const raws = pod.spec.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  const resolved = raws.map((raw) => resolveConstraint(raw, pod.pod));
  const matchCounts = resolved.map((c) => cache.spreadMatchCounts(c.selector, pod.pod.namespace));
  const constraints: ScoreConstraint[] = resolved.map((c, i) => {
    const perNode = matchCounts[i]?.perNode;
    return { ...c, count: (n: NodeInfo) => (perNode ? perNode[n.index] : 0) };
  });
  const counts = constraints.map(() => new Map<string, number>());
  const s: PreScoreState = { constraints, ignoredNodes: new Set(), topologyPairToPodCounts: counts, normalizingWeights: [] };
  if (constraints.length === 0) return s;
  const nodes = cls.perNodeList('PodTopologySpread/score', () => countingNodes(cache, pod, raws));
  // Per constraint: domain value -> domain id, for the domains of the feasible nodes.
  const domainIds = constraints.map(() => new Map<string, number>());
  for (const nodeInfo of feasible) {
    const labels = nodeInfo.node.labels;
    if (!constraints.every((c) => labels?.[c.topologyKey] !== undefined)) {
      s.ignoredNodes.add(nodeInfo.node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey !== HOSTNAME) domainIds[i].set(labels[c.topologyKey], nodes[i].domains.ids[nodeInfo.index]);
    });
  }
  s.normalizingWeights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - s.ignoredNodes.size : domainIds[i].size) + 2));
  constraints.forEach((c, i) => {
    if (c.topologyKey === HOSTNAME) return;
    const sums = countingSums(nodes[i], matchCounts[i]);
    for (const [value, id] of domainIds[i]) counts[i].set(value, sums[id]);
  });
  return s;
}
