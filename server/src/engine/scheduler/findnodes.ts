// findNodesThatPassFilters for the common case, as yes/no per node: the static filters come from
// the pod's equivalence class, NodeResourcesFit is a few comparisons, and the plugins whose answer
// depends on other pods run only when they can say no (host ports asked for, DoNotSchedule spread
// constraints, pod affinity of the pod or anti-affinity of a pod already running). Why a node
// failed is not kept: when nothing fits the scheduler re-evaluates every node plugin by plugin for
// kube-scheduler's message.
import type { EquivalenceClass } from './equivalence';
import type { CycleState, NodeInfo } from './framework';
import { interPodAffinity } from './filters/interpodaffinity';
import { nodePorts } from './filters/nodeports';
import { podTopologySpread } from './filters/podtopologyspread';

export interface FeasibleNodes {
  feasible: NodeInfo[];
  /** Nodes evaluated, for the next pod's starting point. */
  processed: number;
}

/** Visits `nodes` from `start` round the ring until `wanted` nodes pass every filter. */
export function findFeasibleNodes(state: CycleState, cls: EquivalenceClass, nodes: readonly NodeInfo[], start: number, wanted: number): FeasibleNodes {
  const pod = state.pod;
  const checkPorts = pod.spec.hostPorts.length > 0;
  const checkSpread = pod.spec.spreadConstraints.some((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  const checkPodAffinity =
    pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0 || (state.aggregates?.podsWithRequiredAntiAffinity ?? 1) > 0;
  const feasible: NodeInfo[] = [];
  const count = nodes.length;
  let processed = 0;
  for (let i = 0; i < count && feasible.length < wanted; i++) {
    const nodeInfo = nodes[(start + i) % count];
    processed++;
    if (!cls.passesStaticFilters(state, nodeInfo)) continue;
    if (checkPorts && nodePorts.filter(state, nodeInfo)) continue;
    if (!cls.fits(nodeInfo)) continue;
    if (checkSpread && podTopologySpread.filter(state, nodeInfo)) continue;
    if (checkPodAffinity && interPodAffinity.filter(state, nodeInfo)) continue;
    feasible.push(nodeInfo);
  }
  return { feasible, processed };
}
