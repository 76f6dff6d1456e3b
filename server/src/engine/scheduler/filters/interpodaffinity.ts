// InterPodAffinity (filter): required pod affinity and anti-affinity of the incoming pod, and the
// required anti-affinity of pods already running, counted per topology domain
// (`topologyKey=value`, e.g. kubernetes.io/hostname or topology.kubernetes.io/zone).
import type { SimNode } from '../../types';
import { type CycleState, cycleData, type FilterPlugin, type NodeInfo, type Status, unresolvable, unschedulable } from '../framework';
import { type AffinityTerm, affinityTermMatches, type PodInfo } from '../podinfo';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** topologyToMatchedTermCount: `key\0value` -> matching pods. */
type TopologyCounts = Map<string, number>;

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: TopologyCounts, node: SimNode, topologyKey: string): void {
  const value = node.labels?.[topologyKey];
  if (value === undefined) return;
  const key = pairKey(topologyKey, value);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

interface PreFilterState {
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: PodInfo['pod']): boolean {
  return terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod));
}

function preFilter(state: CycleState): PreFilterState {
  const incoming = state.pod;
  const s: PreFilterState = { existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map() };
  const needsAllPods = incoming.requiredAffinityTerms.length > 0 || incoming.requiredAntiAffinityTerms.length > 0;
  if (!needsAllPods && state.aggregates?.podsWithRequiredAntiAffinity === 0) return s;
  for (const nodeInfo of state.allNodes) {
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity) {
      for (const term of existing.requiredAntiAffinityTerms) {
        if (affinityTermMatches(term, incoming.pod)) bump(s.existingAntiAffinityCounts, nodeInfo.node, term.topologyKey);
      }
    }
    if (!needsAllPods) continue;
    for (const existing of nodeInfo.pods.values()) {
      if (podMatchesAllAffinityTerms(incoming.requiredAffinityTerms, existing.pod)) {
        for (const term of incoming.requiredAffinityTerms) bump(s.affinityCounts, nodeInfo.node, term.topologyKey);
      }
      for (const term of incoming.requiredAntiAffinityTerms) {
        if (affinityTermMatches(term, existing.pod)) bump(s.antiAffinityCounts, nodeInfo.node, term.topologyKey);
      }
    }
  }
  return s;
}

function satisfyPodAffinity(s: PreFilterState, incoming: PodInfo, node: SimNode): boolean {
  let podsExist = true;
  for (const term of incoming.requiredAffinityTerms) {
    const value = node.labels?.[term.topologyKey];
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere that has the topology labels.
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(incoming.requiredAffinityTerms, incoming.pod);
}

function satisfyPodAntiAffinity(s: PreFilterState, incoming: PodInfo, node: SimNode): boolean {
  for (const term of incoming.requiredAntiAffinityTerms) {
    const value = node.labels?.[term.topologyKey];
    if (value !== undefined && (s.antiAffinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, node: SimNode): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(node.labels ?? {})) {
    if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) return false;
  }
  return true;
}

export const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    const s = cycleData(state, this.name, () => preFilter(state));
    if (!satisfyPodAffinity(s, state.pod, nodeInfo.node)) return unresolvable(this.name, ERR_REASON_AFFINITY);
    if (!satisfyPodAntiAffinity(s, state.pod, nodeInfo.node)) return unschedulable(this.name, ERR_REASON_ANTI_AFFINITY);
    if (!satisfyExistingPodsAntiAffinity(s, nodeInfo.node)) return unschedulable(this.name, ERR_REASON_EXISTING_ANTI_AFFINITY);
    return undefined;
  },
};
