// selectHost for the most common pod: a controller's pod with the system default topology spreading
// and no other score that differs between nodes (no PreferNoSchedule taint to count, no preferred
// node affinity, no pod affinity anywhere). A candidate's total is then
//   resource score (LeastAllocated + BalancedAllocation) + 2 x normalised spreading score,
// and the raw spreading score depends only on the node's shape (zone, and whether it has the zone
// and hostname labels) and on how many of the controller's pods it already runs. Candidates of one
// (shape, count) group share the spreading part, so only the best resource score of each group
// (ties to the lowest node name) can win: one pass keeps that per group, and the normalisation
// (the highest and lowest raw score among the candidates) and the choice run over the groups, a
// handful instead of hundreds of candidates. Same totals, same winner as scoring every candidate.
//
// Worked example (3 zones, 420 candidates, a controller with 2 or 3 pods on each node): at most
// 3 zones x 2 counts = 6 groups; the spreading score is computed 6 times instead of 420.
import type { SchedulerCache } from '../cache';
import type { Candidates } from './candidates';
import { defaultSpreadingScore, normalizedSpreadScore, podTopologySpreadScore } from '../scores/podtopologyspread';

const SPREAD_WEIGHT = podTopologySpreadScore.weight;
/** Groups (shapes x counts) kept in one table at most; past it the caller scores every candidate. */
const MAX_GROUPS = 1 << 20;

/**
 * Per group: the cycle it was last touched in (fresh tables are zero, and the cycle counter never
 * goes back to a value a table may hold), its best candidate (an id the caller chose: a position
 * in Candidates or a node index) and that one's resource score.
 */
let stamps = new Int32Array(0);
let bestOf = new Int32Array(0);
let bestScore = new Float64Array(0);
/** The name rank of each group's best candidate (ties go to the lowest). */
let bestRank = new Int32Array(0);
let touched = new Int32Array(0);
let groupCount = 0;
let cycle = 0;
/** Per zone key id: the cycle a candidate of that zone was last seen in. */
let zoneStamps = new Int32Array(0);

/** The group of a node of `shape` running `owned` of the controller's pods, in tables `width` wide. */
export function groupOf(shape: number, owned: number, width: number): number {
  return shape * width + owned;
}

/**
 * Starts a choice over groups of `width` counts (the controller's highest count on a node + 1):
 * false when the groups would not fit the table (the caller then scores every candidate).
 */
export function beginGroupedChoice(zones: number, width: number, candidates: number): boolean {
  const groups = zones * 4 * width;
  if (groups > MAX_GROUPS) return false;
  if (stamps.length < groups) {
    stamps = new Int32Array(groups);
    bestOf = new Int32Array(groups);
    bestScore = new Float64Array(groups);
    bestRank = new Int32Array(groups);
  }
  if (touched.length < Math.min(groups, candidates)) touched = new Int32Array(Math.max(Math.min(groups, candidates), 2 * touched.length));
  if (zoneStamps.length < zones) zoneStamps = new Int32Array(zones);
  if (++cycle === 0x7fffffff) {
    stamps.fill(0);
    zoneStamps.fill(0);
    cycle = 1;
  }
  groupCount = 0;
  return true;
}

/**
 * A candidate of `group` (or the best of several), with its resource score and name rank: kept if
 * it beats the group's best so far (higher score, then lower name rank; the order of offers does
 * not matter).
 */
export function offerCandidate(group: number, score: number, rank: number, id: number): void {
  if (stamps[group] !== cycle) {
    stamps[group] = cycle;
    bestOf[group] = id;
    bestScore[group] = score;
    bestRank[group] = rank;
    if (groupCount === touched.length) {
      const grown = new Int32Array(2 * touched.length + 16);
      grown.set(touched);
      touched = grown;
    }
    touched[groupCount++] = group;
  } else if (score >= bestScore[group] && (score > bestScore[group] || rank < bestRank[group])) {
    bestOf[group] = id;
    bestScore[group] = score;
    bestRank[group] = rank;
  }
}

/**
 * The winner among the groups offered since beginGroupedChoice (its id), for `n` candidates in all;
 * `zoneCounts`: the controller's pods per zone key id.
 */
export function finishGroupedChoice(n: number, width: number, zoneCounts: Float64Array): number {
  // PreScore's weights: log(candidates + 2) for the hostname constraint, log(zones among them + 2) for the zone one.
  let zonesPresent = 0;
  for (let g = 0; g < groupCount; g++) {
    const zone = ((touched[g] / width) | 0) >> 2;
    if (zoneStamps[zone] !== cycle) {
      zoneStamps[zone] = cycle;
      zonesPresent++;
    }
  }
  const hostnameWeight = Math.log(n + 2);
  const zoneWeight = Math.log(zonesPresent + 2);

  // Raw scores per group, then the normalisation's bounds.
  let spreadMin = Infinity;
  let spreadMax = 0;
  for (let g = 0; g < groupCount; g++) {
    const raw = rawScore(touched[g], width, zoneCounts, hostnameWeight, zoneWeight);
    if (raw < spreadMin) spreadMin = raw;
    if (raw > spreadMax) spreadMax = raw;
  }
  let best = -1;
  let bestTotal = -Infinity;
  let bestTotalRank = 0;
  for (let g = 0; g < groupCount; g++) {
    const group = touched[g];
    const raw = rawScore(group, width, zoneCounts, hostnameWeight, zoneWeight);
    const total = bestScore[group] + normalizedSpreadScore(raw, spreadMin, spreadMax) * SPREAD_WEIGHT;
    if (total > bestTotal || (total === bestTotal && bestRank[group] < bestTotalRank)) {
      best = bestOf[group];
      bestTotal = total;
      bestTotalRank = bestRank[group];
    }
  }
  return best;
}

/**
 * The winning candidate's position, or -1 when the groups would not fit the table (the caller then
 * scores every candidate). `ownerPerNode` and `maxOwned`: the controller's pods per node and an
 * upper bound of those counts; `zoneCounts`: its pods per zone key id.
 */
export function chooseByDefaultSpreading(candidates: Candidates, cache: SchedulerCache, ownerPerNode: Int32Array | undefined, maxOwned: number, zoneCounts: Float64Array): number {
  const n = candidates.count;
  const width = maxOwned + 1;
  if (!beginGroupedChoice(cache.zoneKeys.length, width, n)) return -1;
  const { shapes, nameRanks } = cache.nodeTable;
  const index = candidates.index;
  const resourceScore = candidates.resourceScore;
  for (let i = 0; i < n; i++) {
    const at = index[i];
    offerCandidate(groupOf(shapes[at], ownerPerNode === undefined ? 0 : ownerPerNode[at], width), resourceScore[i], nameRanks[at], i);
  }
  return finishGroupedChoice(n, width, zoneCounts);
}

/** The raw default-spreading score of a group: its shape (zone, labels) and the controller's count on such a node. */
function rawScore(group: number, width: number, zoneCounts: Float64Array, hostnameWeight: number, zoneWeight: number): number {
  const owned = group % width;
  const shape = (group - owned) / width;
  return defaultSpreadingScore((shape & 1) !== 0, owned, (shape & 2) !== 0, zoneCounts[shape >> 2], hostnameWeight, zoneWeight);
}
