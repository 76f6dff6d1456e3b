// findNodesThatPassFilters for the common case, as yes/no per node: the static filters come from
// the pod's equivalence class, NodeResourcesFit is a few comparisons, and the filters whose answer
// depends on other pods run only when they can say no (host ports asked for, DoNotSchedule spread
// constraints, pod affinity of the pod or anti-affinity of a pod already running); spreading and
// pod affinity read the cache's per-domain match counts (topology-spread.ts, interpod-affinity.ts). Why a node
// failed is not kept: when nothing fits the scheduler re-evaluates every node plugin by plugin for
// kube-scheduler's message. A node that passes gets its resource score read while it is at hand.
import type { SchedulerCache } from '../cache';
import type { Candidates } from './candidates';
import { type EquivalenceClass, NO_FIT } from './equivalence';
import type { CycleState, NodeInfo } from '../framework';
import { podAffinityCheck } from './interpod-affinity';
import { hardSpreadCheck } from './topology-spread';
import { nodePorts } from '../filters/nodeports';

/**
 * Visits `nodes` from `start` round the ring until `wanted` nodes pass every filter; they are left
 * in `out`. Returns how many nodes were evaluated, for the next pod's starting point.
 */
export function findFeasibleNodes(
  state: CycleState,
  cls: EquivalenceClass,
  cache: SchedulerCache,
  nodes: readonly NodeInfo[],
  start: number,
  wanted: number,
  out: Candidates,
): number {
  const pod = state.pod;
  const checkPorts = pod.spec.hostPorts.length > 0;
  const spreadCheck = cls.hasHardSpreadConstraints ? hardSpreadCheck(state, cls, cache) : undefined;
  const affinityCheck =
    pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0 || cache.podsWithRequiredAntiAffinity > 0 ? podAffinityCheck(state, cache) : undefined;
  out.reset(wanted);
  const count = nodes.length;
  let processed = 0;
  // Round the ring without a division per node.
  let at = start % count;
  for (let i = 0; i < count && out.count < wanted; i++, at = at + 1 === count ? 0 : at + 1) {
    const nodeInfo = nodes[at];
    processed++;
    if (!cls.passesStaticFilters(state, nodeInfo)) continue;
    if (checkPorts && nodePorts.filter(state, nodeInfo)) continue;
    const resourceScore = cls.fitAndResourceScore(nodeInfo);
    if (resourceScore === NO_FIT) continue;
    if (spreadCheck && !spreadCheck(nodeInfo.index)) continue;
    if (affinityCheck && !affinityCheck(nodeInfo.index)) continue;
    out.add(nodeInfo, resourceScore);
  }
  return processed;
}
