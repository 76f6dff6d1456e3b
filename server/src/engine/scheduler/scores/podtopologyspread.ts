// PodTopologySpread score: for ScheduleAnyway constraints (or, for pods without constraints, the
// system defaults: hostname maxSkew 3 and zone maxSkew 5 over the pods of the same controller),
// nodes in domains with fewer matching pods score higher.
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { cycleData, MAX_NODE_SCORE } from '../framework';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  resolveConstraint,
  type SpreadConstraint,
} from '../filters/podtopologyspread';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/**
 * Owners whose selector DefaultSelector uses; a Service selecting the pod only narrows that set.
 * Pods of other kinds get default spreading upstream only when a Service selects them: not modelled.
 */
export const DEFAULT_SPREAD_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** The system default constraints' maxSkew (podtopologyspread/plugin.go systemDefaultConstraints). */
const DEFAULT_HOSTNAME_MAX_SKEW = 3;
const DEFAULT_ZONE_MAX_SKEW = 5;

/** scoring.go scoreForCount: a constraint's share of a node's raw score. */
function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
}

/**
 * Score with the system default constraints, for a node with or without the hostname and zone
 * labels: the controller's pods on the node and in its zone, weighted (log of the scored nodes + 2,
 * log of their zones + 2). The scheduler's fast paths read the counts from the cache's tables.
 */
export function defaultSpreadingScore(hostnameLabelled: boolean, onNode: number, zoneLabelled: boolean, inZone: number, hostnameWeight: number, zoneWeight: number): number {
  let score = 0;
  if (hostnameLabelled) score += scoreForCount(onNode, DEFAULT_HOSTNAME_MAX_SKEW, hostnameWeight);
  if (zoneLabelled) score += scoreForCount(inZone, DEFAULT_ZONE_MAX_SKEW, zoneWeight);
  return Math.round(score);
}

/** NormalizeScore for one node's raw score, given the lowest and highest among the scored nodes: fewer matching pods is better. */
export function normalizedSpreadScore(score: number, min: number, max: number): number {
  return max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - score)) / max);
}

interface ScoreConstraint extends SpreadConstraint {
  /** Matching pods on one node. */
  count(nodeInfo: NodeInfo): number;
}

interface PreScoreState {
  constraints: ScoreConstraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: domain value -> matching pods (not for hostname, counted per node in Score). */
  topologyPairToPodCounts: Map<string, number>[];
  normalizingWeights: number[];
}

function buildConstraints(state: CycleState): { constraints: ScoreConstraint[]; systemDefaulted: boolean } {
  const pod = state.pod;
  if (pod.spec.spreadConstraints.length > 0) {
    const constraints = pod.spec.spreadConstraints
      .filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway')
      .map((raw) => {
        const c = resolveConstraint(raw, pod.pod);
        return { ...c, count: (n: NodeInfo) => countPodsMatchSelector(n.pods.values(), c.selector, pod.pod.namespace) };
      });
    return { constraints, systemDefaulted: false };
  }
  const owner = pod.pod.owner;
  if (!owner || !DEFAULT_SPREAD_OWNERS.has(owner.kind)) return { constraints: [], systemDefaulted: true };
  const count = (n: NodeInfo) => n.activePodsByOwner.get(owner.uid) ?? 0;
  const base = { selector: null, minDomains: 1, nodeAffinityPolicy: 'Honor' as const, nodeTaintsPolicy: 'Ignore' as const, count };
  return {
    constraints: [
      { ...base, topologyKey: HOSTNAME, maxSkew: DEFAULT_HOSTNAME_MAX_SKEW },
      { ...base, topologyKey: ZONE, maxSkew: DEFAULT_ZONE_MAX_SKEW },
    ],
    systemDefaulted: true,
  };
}

function preScore(state: CycleState, feasible: readonly NodeInfo[]): PreScoreState {
  const { constraints, systemDefaulted } = buildConstraints(state);
  const counts = constraints.map(() => new Map<string, number>());
  const s: PreScoreState = { constraints, ignoredNodes: new Set(), topologyPairToPodCounts: counts, normalizingWeights: [] };
  if (constraints.length === 0) return s;
  // Only explicit constraints require every topology label; default spreading still spreads by hostname on zoneless nodes.
  const requireAllTopologies = !systemDefaulted;
  for (const nodeInfo of feasible) {
    const node = nodeInfo.node;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node, constraints)) {
      s.ignoredNodes.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey !== HOSTNAME) counts[i].set(node.labels?.[c.topologyKey] ?? '', 0);
    });
  }
  s.normalizingWeights = constraints.map((c, i) => {
    const size = c.topologyKey === HOSTNAME ? feasible.length - s.ignoredNodes.size : counts[i].size;
    return Math.log(size + 2);
  });
  const domainConstraints = constraints.map((c, i) => i).filter((i) => constraints[i].topologyKey !== HOSTNAME);
  const owner = state.pod.pod.owner?.uid;
  const affinity = state.pod.spec.requiredNodeAffinity;
  if (systemDefaulted && owner && state.aggregates && !affinity.nodeSelector && !affinity.requiredTerms) {
    // Every node is included and the cache already sums the controller's pods per zone: no cluster scan.
    const aggregates = state.aggregates;
    for (const i of domainConstraints) for (const value of counts[i].keys()) counts[i].set(value, aggregates.activePodsByOwnerInZone(owner, value));
    return s;
  }
  for (const nodeInfo of state.allNodes) {
    const node = nodeInfo.node;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node, constraints)) continue;
    for (const i of domainConstraints) {
      const c = constraints[i];
      const value = node.labels?.[c.topologyKey];
      if (value === undefined) continue;
      const current = counts[i].get(value);
      if (current === undefined || !matchNodeInclusionPolicies(c, state.pod, node)) continue;
      counts[i].set(value, current + c.count(nodeInfo));
    }
  }
  return s;
}

export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  applies(state: CycleState, feasible: readonly NodeInfo[]): boolean {
    return cycleData(state, 'PodTopologySpread/score', () => preScore(state, feasible)).constraints.length > 0;
  },
  score(state: CycleState, nodeInfo: NodeInfo): number {
    const s = state.data.get('PodTopologySpread/score') as PreScoreState;
    if (s.ignoredNodes.has(nodeInfo.node.name)) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = nodeInfo.node.labels?.[c.topologyKey];
      if (value === undefined) continue;
      const count = c.topologyKey === HOSTNAME ? c.count(nodeInfo) : s.topologyPairToPodCounts[i].get(value) ?? 0;
      score += scoreForCount(count, c.maxSkew, s.normalizingWeights[i]);
    }
    return Math.round(score);
  },
  normalize(state: CycleState, scores: number[], feasible: readonly NodeInfo[]): void {
    const s = state.data.get('PodTopologySpread/score') as PreScoreState;
    let min = Infinity;
    let max = 0;
    scores.forEach((score, i) => {
      if (s.ignoredNodes.has(feasible[i].node.name)) return;
      if (score < min) min = score;
      if (score > max) max = score;
    });
    scores.forEach((score, i) => {
      if (s.ignoredNodes.has(feasible[i].node.name)) scores[i] = 0;
      else scores[i] = normalizedSpreadScore(score, min, max);
    });
  },
};
