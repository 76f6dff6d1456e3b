// prioritizeNodes: every score plugin over the feasible nodes, normalised, weighted and summed.
// The default profile's plugins are evaluated here without going through the plugin objects where
// the answer can be read from cheaper places (the equivalence class's raw scores, the node's
// running sums, the cache's per-controller counts); the arithmetic is the plugins' own, so the
// totals are the same numbers. Anything else runs the plugin itself.
import type { NodeTable, SchedulerCache } from './cache';
import type { Candidates } from './fastpath/candidates';
import type { EquivalenceClass } from './fastpath/equivalence';
import { type CycleState, MAX_NODE_SCORE, type NodeInfo, type ScorePlugin } from './framework';
import { nodeResourcesBalancedAllocation } from './scores/balancedallocation';
import { interPodAffinityScore } from './scores/interpodaffinity';
import { nodeResourcesFitScore } from './scores/leastallocated';
import { nodeAffinityScore } from './scores/nodeaffinity';
import { DEFAULT_SPREAD_OWNERS, defaultSpreadingScore, normalizedSpreadScore, podTopologySpreadScore } from './scores/podtopologyspread';
import { podAffinityScores } from './fastpath/interpod-affinity';
import { softSpreadScores } from './fastpath/topology-spread';
import { chooseByDefaultSpreading } from './fastpath/grouped-choice';
import { taintTolerationScore } from './scores/tainttoleration';

/** The default profile's scores with their weights (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, Fit 1, Balanced 1). */
export const DEFAULT_SCORES: readonly ScorePlugin[] = [
  taintTolerationScore,
  nodeAffinityScore,
  nodeResourcesFitScore,
  podTopologySpreadScore,
  interPodAffinityScore,
  nodeResourcesBalancedAllocation,
];

function accumulate(totals: number[] | Float64Array, scores: ArrayLike<number>, weight: number): void {
  for (let i = 0; i < totals.length; i++) totals[i] += scores[i] * weight;
}

/** One plugin through its own PreScore / Score / NormalizeScore. */
function addPluginScores(plugin: ScorePlugin, state: CycleState, feasible: readonly NodeInfo[], totals: number[] | Float64Array): void {
  if (plugin.applies && !plugin.applies(state, feasible)) return;
  const scores = feasible.map((n) => plugin.score(state, n));
  plugin.normalize?.(state, scores, feasible);
  accumulate(totals, scores, plugin.weight);
}

/** The reference: each plugin object in turn. */
export function prioritizeNodes(state: CycleState, feasible: readonly NodeInfo[]): number[] {
  const totals = new Array<number>(feasible.length).fill(0);
  for (const plugin of DEFAULT_SCORES) addPluginScores(plugin, state, feasible, totals);
  return totals;
}

// Module-level copies of the plugins' constants: the hot loop reads them for every node.
const MAX_SCORE = MAX_NODE_SCORE;
const TAINT_WEIGHT = taintTolerationScore.weight;
const AFFINITY_WEIGHT = nodeAffinityScore.weight;
const SPREAD_WEIGHT = podTopologySpreadScore.weight;

/**
 * Whether PodTopologySpread scores this pod with the system default constraints over every node,
 * from the cache's per-controller counts (the plugin's own shortcut, see its preScore).
 */
export function usesDefaultSpreading(state: CycleState): boolean {
  const pod = state.pod;
  const owner = pod.pod.owner;
  const affinity = pod.spec.requiredNodeAffinity;
  return (
    pod.spec.spreadConstraints.length === 0 &&
    owner !== undefined &&
    DEFAULT_SPREAD_OWNERS.has(owner.kind) &&
    state.aggregates !== undefined &&
    !affinity.nodeSelector &&
    !affinity.requiredTerms
  );
}

/** Scratch space reused by every scheduling cycle (schedulePod is never re-entered). */
let scratch = { totals: new Float64Array(0), taint: new Float64Array(0), affinity: new Float64Array(0), spread: new Float64Array(0) };

function scratchFor(n: number): typeof scratch {
  if (scratch.totals.length < n) {
    const size = Math.max(n, 2 * scratch.totals.length);
    scratch = { totals: new Float64Array(size), taint: new Float64Array(size), affinity: new Float64Array(size), spread: new Float64Array(size) };
  }
  return scratch;
}

let zoneMarks = { seen: new Int32Array(0), cycle: 0 };

/**
 * The controller's non-terminating pods per zone key id (the cache's table: read only), with the
 * marks of which zones the candidates cover (zoneMarks: seen[id] === cycle) sized for every zone.
 */
export function defaultSpreadingZoneCounts(cache: SchedulerCache, ownerUid: string): Float64Array {
  if (zoneMarks.seen.length < cache.zoneKeys.length) zoneMarks = { seen: new Int32Array(cache.zoneKeys.length), cycle: 0 };
  return cache.activePodsByOwnerPerZone(ownerUid);
}

/** PodTopologySpread's raw score with the system defaults for the node at `at`, from the cache's tables. */
function defaultSpreadingScoreAt(nodes: NodeTable, at: number, ownerPerNode: Int32Array | undefined, zoneCounts: Float64Array, hostnameWeight: number, zoneWeight: number): number {
  return defaultSpreadingScore(nodes.hostnameLabelled[at] !== 0, ownerPerNode ? ownerPerNode[at] : 0, nodes.zoneLabelled[at] !== 0, zoneCounts[nodes.zoneKeyIds[at]], hostnameWeight, zoneWeight);
}

/** helper.DefaultNormalizeScore's arithmetic for one score, given the highest. */
function normalized(score: number, max: number, reverse: boolean): number {
  if (max === 0) return reverse ? MAX_SCORE : score;
  const s = Math.trunc((MAX_SCORE * score) / max);
  return reverse ? MAX_SCORE - s : s;
}

/**
 * prioritizeNodes then selectHost for a pod of `cls` scheduled from `cache`, over the candidates
 * findFeasibleNodes left: the candidate with the highest total (the totals equal prioritizeNodes'
 * up to a constant shared by every node), ties to the lowest node name. One pass for the raw
 * scores and one to normalise and choose, over typed arrays.
 */
export function selectBestCandidate(state: CycleState, cls: EquivalenceClass, candidates: Candidates, cache: SchedulerCache): number {
  const spec = state.pod.spec;
  const n = candidates.count;
  const index = candidates.index;
  const { totals, taint, affinity, spread } = scratchFor(n);
  const nodes = cache.nodeTable;

  // Without PreferNoSchedule taints to count every node's TaintToleration score is 100: the same
  // for all, so it cannot change the choice and is left out.
  const taintScores = cls.hasTaintScores ? cls.taintScores : undefined;
  const affinityScores = spec.preferredNodeAffinity.length > 0 ? cls.affinityScores : undefined;

  // PodTopologySpread PreScore with the system defaults: the controller's pods per zone and each
  // constraint's weight (log of the candidates + 2, log of the zones among them + 2, a node
  // without the zone label counting as zone '').
  const defaultSpreading = usesDefaultSpreading(state);
  let ownerPerNode: Int32Array | undefined;
  let zoneCounts: Float64Array | undefined;
  let hostnameWeight = 0;
  let zoneWeight = 0;
  if (defaultSpreading) {
    const ownerUid = (state.pod.pod.owner as { uid: string }).uid;
    ownerPerNode = cache.activePodsByOwnerPerNode(ownerUid);
    zoneCounts = defaultSpreadingZoneCounts(cache, ownerUid);
    // Nothing else differs between the nodes: the choice is made per group of alike candidates.
    if (!taintScores && !affinityScores && !scoresPodAffinity(state, cache)) {
      const chosen = chooseByDefaultSpreading(candidates, cache, ownerPerNode, cache.maxActivePodsByOwnerOnANode(ownerUid), zoneCounts);
      if (chosen >= 0) return chosen;
    }
    hostnameWeight = Math.log(n + 2);
    // Assumed: the candidates cover every zone of the cluster; checked below.
    zoneWeight = Math.log(cache.zoneKeys.length + 2);
  }
  const zoneSeen = zoneMarks.seen;
  const cycle = ++zoneMarks.cycle;
  let zones = 0;
  let taintMax = 0;
  let affinityMax = 0;
  let spreadMin = Infinity;
  let spreadMax = 0;
  for (let i = 0; i < n; i++) {
    const at = index[i];
    if (taintScores) {
      const t = taintScores[at];
      taint[i] = t;
      if (t > taintMax) taintMax = t;
    }
    if (affinityScores) {
      const a = affinityScores[at];
      affinity[i] = a;
      if (a > affinityMax) affinityMax = a;
    }
    if (zoneCounts) {
      const zone = nodes.zoneKeyIds[at];
      if (zoneSeen[zone] !== cycle) {
        zoneSeen[zone] = cycle;
        zones++;
      }
      const rounded = defaultSpreadingScoreAt(nodes, at, ownerPerNode, zoneCounts, hostnameWeight, zoneWeight);
      spread[i] = rounded;
      if (rounded < spreadMin) spreadMin = rounded;
      if (rounded > spreadMax) spreadMax = rounded;
    }
  }
  if (zoneCounts && zones !== cache.zoneKeys.length) {
    // Some zone has no candidate: the zone weight counts only the zones present.
    zoneWeight = Math.log(zones + 2);
    spreadMin = Infinity;
    spreadMax = 0;
    for (let i = 0; i < n; i++) {
      const rounded = defaultSpreadingScoreAt(nodes, index[i], ownerPerNode, zoneCounts, hostnameWeight, zoneWeight);
      spread[i] = rounded;
      if (rounded < spreadMin) spreadMin = rounded;
      if (rounded > spreadMax) spreadMax = rounded;
    }
  }

  // The remaining plugins run as themselves; without them the choice is made while normalising.
  // InterPodAffinity scores only when the pod has preferences or some pod declares affinity; its raw
  // scores come from the cache's counts, and PodTopologySpread's for explicit constraints too.
  const podAffinity = scoresPodAffinity(state, cache) ? podAffinityScores(state, cache, candidates) : undefined;
  const selectNow = defaultSpreading && podAffinity === undefined;
  const nameRanks = nodes.nameRanks;

  const resourceScore = candidates.resourceScore;
  let best = 0;
  let bestTotal = -Infinity;
  for (let i = 0; i < n; i++) {
    let total = resourceScore[i];
    if (taintScores) total += normalized(taint[i], taintMax, true) * TAINT_WEIGHT;
    if (affinityScores) total += normalized(affinity[i], affinityMax, false) * AFFINITY_WEIGHT;
    if (zoneCounts) {
      total += normalizedSpreadScore(spread[i], spreadMin, spreadMax) * SPREAD_WEIGHT;
    }
    if (!selectNow) totals[i] = total;
    else if (total > bestTotal || (total === bestTotal && nameRanks[index[i]] < nameRanks[index[best]])) {
      best = i;
      bestTotal = total;
    }
  }
  if (selectNow) return best;

  const feasible = candidates.list();
  if (spec.spreadConstraints.length > 0) {
    const spreadScores = softSpreadScores(state, cls, cache, candidates);
    if (spreadScores) accumulate(totals, spreadScores, SPREAD_WEIGHT);
  } else if (!defaultSpreading) addPluginScores(podTopologySpreadScore, state, feasible, totals);
  if (podAffinity) {
    interPodAffinityScore.normalize?.(state, podAffinity, feasible);
    accumulate(totals, podAffinity, interPodAffinityScore.weight);
  }
  return selectHost(candidates, totals, nameRanks);
}

/** InterPodAffinity scores when the pod has preferences or some pod declares affinity. */
export function scoresPodAffinity(state: CycleState, cache: SchedulerCache): boolean {
  return state.pod.preferredAffinityTerms.length > 0 || state.pod.preferredAntiAffinityTerms.length > 0 || cache.podsWithAffinity > 0;
}

/** selectHost: the highest total; ties go to the lowest node name (nameRanks: each node's place in name order). */
function selectHost(candidates: Candidates, totals: Float64Array, nameRanks: Int32Array): number {
  const index = candidates.index;
  let best = 0;
  for (let i = 1; i < candidates.count; i++) {
    if (totals[i] > totals[best] || (totals[i] === totals[best] && nameRanks[index[i]] < nameRanks[index[best]])) best = i;
  }
  return best;
}
