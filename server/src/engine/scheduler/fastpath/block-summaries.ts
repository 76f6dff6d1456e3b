// What block-walk.ts keeps per block of consecutive nodes (in the cache's order) for one
// equivalence class and one controller: how many of the block's nodes pass, and per group of alike
// nodes the best candidate. The class owns them (they go with its verdicts), the cache stamps the blocks.

/** Nodes per block (a power of two: a node's block is its index shifted). */
export const BLOCK_SHIFT = 5;
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;

/** One class's and one controller's summaries of every block, for one node list. */
export class BlockSummaries {
  /** SchedulerCache.blockVersions of each block when it was summarised (-1: never). */
  readonly stamps: Float64Array;
  /** Nodes of the block that pass the static filters and fit. */
  readonly passing: Int32Array;
  /** Groups in the block; group g of block b is entry b * BLOCK_SIZE + g of the tables below. */
  readonly groups: Int32Array;
  readonly shape: Int32Array;
  readonly owned: Int32Array;
  readonly score: Float64Array;
  readonly rank: Int32Array;
  readonly node: Int32Array;

  constructor(nodeCount: number) {
    const blocks = (nodeCount + BLOCK_SIZE - 1) >> BLOCK_SHIFT;
    this.stamps = new Float64Array(blocks).fill(-1);
    this.passing = new Int32Array(blocks);
    this.groups = new Int32Array(blocks);
    const entries = blocks * BLOCK_SIZE;
    this.shape = new Int32Array(entries);
    this.owned = new Int32Array(entries);
    this.score = new Float64Array(entries);
    this.rank = new Int32Array(entries);
    this.node = new Int32Array(entries);
  }
}
