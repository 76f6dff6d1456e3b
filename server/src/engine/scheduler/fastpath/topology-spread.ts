// PodTopologySpread for explicit constraints, from the cache's match counts: PreFilter/PreScore
// read the matching pods of each domain from running sums instead of counting every pod, so a pod
// costs O(domains + candidate nodes). The arithmetic is the plugin's own (filters/ and scores/
// podtopologyspread.ts stay the reference).
import { labelSelectorMatches } from '../../../k8s/labels';
import type { SchedulerCache } from '../cache';
import type { EquivalenceClass } from './equivalence';
import type { Candidates } from './candidates';
import { type CycleState, MAX_NODE_SCORE } from '../framework';
import { matchNodeInclusionPolicies, resolveConstraint } from '../filters/podtopologyspread';
import type { NodeCounts, TopologyDomains } from './match-counts';
import type { PodInfo, RawSpreadConstraint } from '../podinfo';

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

/**
 * PodTopologySpread's normalised scores of the candidates for the pod's ScheduleAnyway
 * constraints (PreScore, Score and NormalizeScore with the plugin's arithmetic), or undefined when
 * the pod has none (the plugin skips).
 */
export function softSpreadScores(state: CycleState, cls: EquivalenceClass, cache: SchedulerCache, candidates: Candidates): number[] | undefined {
  const pod = state.pod;
  const raws = pod.spec.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  if (raws.length === 0) return undefined;
  const nodes = cls.perNodeList('PodTopologySpread/score', () => countingNodes(cache, pod, raws));
  const constraints = raws.map((raw) => resolveConstraint(raw, pod.pod));
  const byHostname = constraints.map((c) => c.topologyKey === HOSTNAME);
  const n = candidates.count;
  const index = candidates.index;
  // Candidates without every constraint's key are ignored (score 0); the others' domains are counted.
  const ignored = new Uint8Array(n);
  let kept = 0;
  const seen = nodes.map((x) => new Uint8Array(x.domains.values.length));
  const distinct = constraints.map(() => 0);
  for (let i = 0; i < n; i++) {
    const at = index[i];
    if (nodes.some((x) => x.domains.ids[at] < 0)) {
      ignored[i] = 1;
      continue;
    }
    kept++;
    for (let c = 0; c < constraints.length; c++) {
      const id = nodes[c].domains.ids[at];
      if (!byHostname[c] && seen[c][id] === 0) {
        seen[c][id] = 1;
        distinct[c]++;
      }
    }
  }
  const weights = constraints.map((_, c) => Math.log((byHostname[c] ? kept : distinct[c]) + 2));
  // Matching pods per node (hostname) or per domain over the counting nodes (other keys).
  const counts = constraints.map((c, k) => {
    const matching = cache.spreadMatchCounts(c.selector, pod.pod.namespace);
    if (byHostname[k]) return matching?.perNode ?? new Int32Array(cache.nodeInfos.length);
    return countingSums(nodes[k], matching);
  });
  const scores = new Array<number>(n);
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (ignored[i]) continue;
    const at = index[i];
    let score = 0;
    for (let c = 0; c < constraints.length; c++) {
      const count = counts[c][byHostname[c] ? at : nodes[c].domains.ids[at]];
      score += count * weights[c] + (constraints[c].maxSkew - 1);
    }
    const rounded = Math.round(score);
    scores[i] = rounded;
    if (rounded < min) min = rounded;
    if (rounded > max) max = rounded;
  }
  for (let i = 0; i < n; i++) {
    if (ignored[i]) scores[i] = 0;
    else if (max === 0) scores[i] = MAX_NODE_SCORE;
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
  }
  return scores;
}
