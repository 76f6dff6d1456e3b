// The feasible nodes of one scheduling cycle, in evaluation order, with the numbers scoring needs
// gathered while filtering (each node's position in the cache and its resource score), in typed
// arrays reused from cycle to cycle so the score passes touch no node objects.
import type { NodeInfo } from '../framework';

export class Candidates {
  count = 0;
  /** The feasible NodeInfos; entries past `count` are left over from an earlier cycle. */
  private readonly nodes: NodeInfo[] = [];
  /** NodeInfo.index of each candidate. */
  index = new Int32Array(16);
  /** Weighted LeastAllocated + BalancedAllocation of each candidate. */
  resourceScore = new Float64Array(16);

  /** Empties the list, with room for `capacity` candidates. */
  reset(capacity: number): void {
    this.count = 0;
    if (this.index.length < capacity) {
      this.index = new Int32Array(capacity);
      this.resourceScore = new Float64Array(capacity);
    }
  }

  add(nodeInfo: NodeInfo, resourceScore: number): void {
    const i = this.count++;
    this.nodes[i] = nodeInfo;
    this.index[i] = nodeInfo.index;
    this.resourceScore[i] = resourceScore;
  }

  node(i: number): NodeInfo {
    return this.nodes[i];
  }

  /** The candidates as a list of their own, for plugins that take the feasible nodes. */
  list(): NodeInfo[] {
    return this.nodes.slice(0, this.count);
  }
}
