// findNodesThatPassFilters and the grouped choice (grouped-choice.ts) in one walk, over blocks of
// nodes instead of node by node, for the pods the grouped choice decides: every node a candidate,
// no filter that depends on other pods, every static verdict of the class known, default
// spreading the only score that differs between nodes besides the resource scores.
//
// schedule_one.go findNodesThatPassFilters visits the nodes round the ring from nextStartNodeIndex
// until numFeasibleNodesToFind nodes pass; the choice then needs, per group of alike candidates
// (node shape x the controller's pods on the node), only the best resource score (ties to the
// lowest node name). Both are known per block of BLOCK_SIZE consecutive nodes: how many of its
// nodes pass, and each group's best. A block's summary stays valid until a pod on one of its nodes
// changes (SchedulerCache.blockVersions), so a pod of a 10,000-replica rollout reads ~13 summaries
// of 32 nodes where the walk visited ~420 nodes, and re-summarises the block its predecessor bound to.
// The walk is the same: a block is taken whole only when all its passing nodes are needed
// (fewer than the nodes still wanted), otherwise node by node, so the nodes visited (and the next
// pod's starting index) and the candidates offered are exactly the node-by-node walk's.
//
// Worked example (1,000 nodes, every one passing, 420 wanted, start 990): 990 is inside block 30
// (nodes 960-991), so nodes 990-991 go one by one (2 pass); block 31 is the last, partial one
// (nodes 992-999: 8 nodes) and 2 + 8 < 420, so it is taken whole (10 in all); then blocks 0-11
// (nodes 0-383) whole (394 in all); block 12 (nodes 384-415) has 32 passing and 394 + 32 >= 420,
// so nodes 384-409 go one by one until the 420th passes: 420 nodes processed, next start 410.
import type { SchedulerCache } from '../cache';
import { type EquivalenceClass, FAILS, NO_FIT } from './equivalence';
import { groupOf, offerCandidate } from './grouped-choice';
import { BLOCK_SHIFT, BLOCK_SIZE, type BlockSummaries } from './block-summaries';

/**
 * A node's resource score for the class when it passes every filter the walk applies, else NO_FIT.
 * Only FAILS is checked: an UNKNOWN static verdict would count as passing without the static
 * filters ever running. That is safe because groupedWalk (schedule.ts) walks by blocks only once
 * the class has no UNKNOWN verdict left (`cls.unknownVerdicts > 0` sends the pod node by node).
 */
function passingScore(cls: EquivalenceClass, cache: SchedulerCache, at: number): number {
  if (cls.staticVerdicts[at] === FAILS) return NO_FIT;
  return cls.resourceScoreVersions[at] === cache.nodeVersions[at] ? cls.resourceScores[at] : cls.fitAndResourceScore(cache.nodeInfos[at]);
}

/** Summarise block `b`: its passing nodes, and per group (shape, owned) the best by score then name rank. */
function summarise(summaries: BlockSummaries, b: number, cls: EquivalenceClass, cache: SchedulerCache, ownerPerNode: Int32Array | undefined): void {
  const { shapes, nameRanks } = cache.nodeTable;
  const first = b << BLOCK_SHIFT;
  const end = Math.min(first + BLOCK_SIZE, cache.nodeInfos.length);
  let passing = 0;
  let groups = 0;
  for (let at = first; at < end; at++) {
    const score = passingScore(cls, cache, at);
    if (score === NO_FIT) continue;
    passing++;
    const shape = shapes[at];
    const owned = ownerPerNode === undefined ? 0 : ownerPerNode[at];
    const rank = nameRanks[at];
    let g = first;
    const last = first + groups;
    while (g < last && (summaries.shape[g] !== shape || summaries.owned[g] !== owned)) g++;
    if (g === last) {
      groups++;
      summaries.shape[g] = shape;
      summaries.owned[g] = owned;
    } else if (!(score > summaries.score[g] || (score === summaries.score[g] && rank < summaries.rank[g]))) continue;
    summaries.score[g] = score;
    summaries.rank[g] = rank;
    summaries.node[g] = at;
  }
  summaries.passing[b] = passing;
  summaries.groups[b] = groups;
  summaries.stamps[b] = cache.blockVersions[b];
}

/**
 * How often the block walk ran and how many blocks it took whole, for tests that must show the
 * walk by blocks was used (equal placements alone would also come from the node-by-node walk).
 */
export const blockWalkUse = { walks: 0, wholeBlocks: 0 };

/**
 * Walks the ring from `start` until `wanted` nodes pass, offering each passing node (by block
 * where a whole block is needed) to the grouped choice begun by the caller, with groups `width`
 * wide. Returns the nodes processed and how many passed.
 */
export function walkByBlocks(
  cls: EquivalenceClass,
  cache: SchedulerCache,
  summaries: BlockSummaries,
  ownerPerNode: Int32Array | undefined,
  width: number,
  start: number,
  wanted: number,
): { processed: number; passed: number } {
  const count = cache.nodeInfos.length;
  const { shapes, nameRanks } = cache.nodeTable;
  let processed = 0;
  let passed = 0;
  let at = start % count;
  blockWalkUse.walks++;
  while (processed < count && passed < wanted) {
    if ((at & (BLOCK_SIZE - 1)) === 0) {
      const b = at >> BLOCK_SHIFT;
      const size = Math.min(BLOCK_SIZE, count - at);
      if (processed + size <= count) {
        if (summaries.stamps[b] !== cache.blockVersions[b]) summarise(summaries, b, cls, cache, ownerPerNode);
        if (passed + summaries.passing[b] < wanted) {
          const end = at + summaries.groups[b];
          for (let g = at; g < end; g++) offerCandidate(groupOf(summaries.shape[g], summaries.owned[g], width), summaries.score[g], summaries.rank[g], summaries.node[g]);
          passed += summaries.passing[b];
          processed += size;
          blockWalkUse.wholeBlocks++;
          at = at + size === count ? 0 : at + size;
          continue;
        }
      }
    }
    processed++;
    const score = passingScore(cls, cache, at);
    if (score !== NO_FIT) {
      passed++;
      offerCandidate(groupOf(shapes[at], ownerPerNode === undefined ? 0 : ownerPerNode[at], width), score, nameRanks[at], at);
    }
    at = at + 1 === count ? 0 : at + 1;
  }
  return { processed, passed };
}
