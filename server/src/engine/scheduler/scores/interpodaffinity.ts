// InterPodAffinity score: preferred (anti-)affinity of the incoming pod towards existing pods,
// and of existing pods towards the incoming one (their required affinity counts with
// hardPodAffinityWeight 1), summed per topology domain and normalised min..max to 0..100.
import type { SimNode, SimPod } from '../../types';
import type { CycleState, NodeInfo, ScorePlugin } from '../framework';
import { cycleData, MAX_NODE_SCORE } from '../framework';
import { type AffinityTerm, affinityTermMatches, type PodInfo, type WeightedAffinityTerm } from '../podinfo';

const HARD_POD_AFFINITY_WEIGHT = 1;
const STATE_KEY = 'InterPodAffinity/score';

/** topologyKey -> value -> score. */
type TopologyScore = Map<string, Map<string, number>>;

function processTerm(scores: TopologyScore, term: AffinityTerm, weight: number, pod: SimPod, node: SimNode): void {
  if (!affinityTermMatches(term, pod)) return;
  const value = node.labels?.[term.topologyKey];
  if (value === undefined) return;
  let byValue = scores.get(term.topologyKey);
  if (!byValue) scores.set(term.topologyKey, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + weight);
}

function processTerms(scores: TopologyScore, terms: readonly WeightedAffinityTerm[], pod: SimPod, node: SimNode, multiplier: number): void {
  for (const t of terms) processTerm(scores, t.term, t.weight * multiplier, pod, node);
}

function processExistingPod(scores: TopologyScore, incoming: PodInfo, existing: PodInfo, node: SimNode): void {
  if (Object.keys(node.labels ?? {}).length === 0) return;
  processTerms(scores, incoming.preferredAffinityTerms, existing.pod, node, 1);
  processTerms(scores, incoming.preferredAntiAffinityTerms, existing.pod, node, -1);
  for (const term of existing.requiredAffinityTerms) processTerm(scores, term, HARD_POD_AFFINITY_WEIGHT, incoming.pod, node);
  processTerms(scores, existing.preferredAffinityTerms, incoming.pod, node, 1);
  processTerms(scores, existing.preferredAntiAffinityTerms, incoming.pod, node, -1);
}

function preScore(state: CycleState): TopologyScore {
  const incoming = state.pod;
  const scores: TopologyScore = new Map();
  // Unless the incoming pod has preferences, only pods that declare affinity can contribute.
  const hasConstraints = incoming.preferredAffinityTerms.length > 0 || incoming.preferredAntiAffinityTerms.length > 0;
  if (!hasConstraints && state.aggregates?.podsWithAffinity === 0) return scores;
  for (const nodeInfo of state.allNodes) {
    const pods = hasConstraints ? nodeInfo.pods.values() : nodeInfo.podsWithAffinity.values();
    for (const existing of pods) processExistingPod(scores, incoming, existing, nodeInfo.node);
  }
  return scores;
}

export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  applies(state: CycleState): boolean {
    return cycleData(state, STATE_KEY, () => preScore(state)).size > 0;
  },
  score(state: CycleState, nodeInfo: NodeInfo): number {
    const scores = state.data.get(STATE_KEY) as TopologyScore;
    let score = 0;
    for (const [key, byValue] of scores) {
      const value = nodeInfo.node.labels?.[key];
      if (value !== undefined) score += byValue.get(value) ?? 0;
    }
    return score;
  },
  normalize(_state: CycleState, scores: number[]): void {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  },
};
