// findNodesThatPassFilters for the common case, as yes/no per node: the static filters come from
// the pod's equivalence class, NodeResourcesFit is a few comparisons, and the filters whose answer
// depends on other pods run only when they can say no (host ports asked for, DoNotSchedule spread
// constraints, pod affinity of the pod or anti-affinity of a pod already running); spreading and
// pod affinity read the cache's per-domain match counts (topology-spread.ts, interpod-affinity.ts). Why a node
// failed is not kept: when nothing fits the scheduler re-evaluates every node plugin by plugin for
// kube-scheduler's message. A node that passes gets its resource score read while it is at hand.
import type { SchedulerCache } from '../cache';
import type { Candidates } from './candidates';
import { type EquivalenceClass, FAILS, NO_FIT, UNKNOWN } from './equivalence';
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
  out.reset(wanted, cache.nodeInfos);
  const count = nodes.length;
  if (nodes === cache.nodeInfos && !checkPorts && !spreadCheck && !affinityCheck) return findAmongAllNodes(state, cls, cache, start, wanted, out);
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
    out.add(nodeInfo.index, resourceScore);
  }
  return processed;
}

/**
 * The same walk when every node is a candidate and only the class's own answers decide: the
 * verdicts and resource scores known for the node's current version are read from the class's
 * tables by position, and a node object is touched only to compute an answer not known yet.
 */
function findAmongAllNodes(state: CycleState, cls: EquivalenceClass, cache: SchedulerCache, start: number, wanted: number, out: Candidates): number {
  const nodes = cache.nodeInfos;
  const versions = cache.nodeVersions;
  const verdicts = cls.staticVerdicts;
  const scores = cls.resourceScores;
  const scoreVersions = cls.resourceScoreVersions;
  const count = nodes.length;
  let processed = 0;
  let at = start % count;
  for (let i = 0; i < count && out.count < wanted; i++, at = at + 1 === count ? 0 : at + 1) {
    processed++;
    const verdict = verdicts[at];
    if (verdict === FAILS || (verdict === UNKNOWN && !cls.passesStaticFilters(state, nodes[at]))) continue;
    const resourceScore = scoreVersions[at] === versions[at] ? scores[at] : cls.fitAndResourceScore(nodes[at]);
    if (resourceScore === NO_FIT) continue;
    out.add(at, resourceScore);
  }
  return processed;
}
