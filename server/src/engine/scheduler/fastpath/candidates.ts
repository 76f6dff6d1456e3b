// The feasible nodes of one scheduling cycle, in evaluation order, with the numbers scoring needs
// gathered while filtering (each node's position in the cache and its resource score), in typed
// arrays reused from cycle to cycle so the score passes touch no node objects.
import type { NodeInfo } from '../framework';

export class Candidates {
  count = 0;
  /** Every node of the cache, by NodeInfo.index: what `index` points into. */
  private nodes: readonly NodeInfo[] = [];
  /** NodeInfo.index of each candidate. */
  index = new Int32Array(16);
  /** Weighted LeastAllocated + BalancedAllocation of each candidate. */
  resourceScore = new Float64Array(16);

  /** Empties the list, with room for `capacity` candidates of `nodes` (the cache's NodeInfos). */
  reset(capacity: number, nodes: readonly NodeInfo[]): void {
    this.count = 0;
    this.nodes = nodes;
    if (this.index.length < capacity) {
      this.index = new Int32Array(capacity);
      this.resourceScore = new Float64Array(capacity);
    }
  }

  add(nodeIndex: number, resourceScore: number): void {
    const i = this.count++;
    this.index[i] = nodeIndex;
    this.resourceScore[i] = resourceScore;
  }

  node(i: number): NodeInfo {
    return this.nodes[this.index[i]];
  }

  /** The candidates as a list of their own, for plugins that take the feasible nodes. */
  list(): NodeInfo[] {
    const out = new Array<NodeInfo>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.nodes[this.index[i]];
    return out;
  }
}
