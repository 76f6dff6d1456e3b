// Scale-down victim choice of pkg/controller/replicaset/replica_set.go (getPodsToDelete).
import { DEFAULT_RANKING_GATES, isPodActive, rankKey, rankKeyCompare, type RankablePod, type RankingGates } from './activepods';

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active related pods
 * (pods of the same controller, including itself) on its node.
 */
export function getPodsRankedByRelatedPodsOnSameNode(podsToRank: readonly RankablePod[], relatedPods: readonly RankablePod[]): number[] {
  const podsOnNode = new Map<string, number>();
  for (let i = 0; i < relatedPods.length; i++) {
    const pod = relatedPods[i];
    if (!isPodActive(pod)) continue;
    const node = pod.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return podsToRank.map((pod) => podsOnNode.get(pod.nodeName ?? '') ?? 0);
}

/**
 * getPodsToDelete: the first `diff` pods in ActivePodsWithRanks order. When every pod goes
 * (diff >= len) nothing is sorted and the input order is kept, as upstream.
 */
export function getPodsToDelete<T extends RankablePod>(filteredPods: readonly T[], relatedPods: readonly RankablePod[], diff: number, now: number | undefined, gates: RankingGates = DEFAULT_RANKING_GATES): T[] {
  if (diff <= 0) return [];
  if (diff >= filteredPods.length) return [...filteredPods];
  const ranks = getPodsRankedByRelatedPodsOnSameNode(filteredPods, relatedPods);
  const keys = filteredPods.map((pod, i) => rankKey(pod, ranks[i], now, gates));
  const logarithmic = gates.LogarithmicScaleDown && now !== undefined;
  const order = filteredPods.map((_, i) => i);
  order.sort((i, j) => rankKeyCompare(keys[i], keys[j], logarithmic));
  return order.slice(0, diff).map((i) => filteredPods[i]);
}
