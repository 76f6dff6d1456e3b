// TaintToleration (filter): a NoSchedule or NoExecute taint the pod does not tolerate keeps it
// off the node; PreferNoSchedule only lowers the score.
import type { Taint, Toleration } from '../../types';
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from '../framework';
import { doNotScheduleTaintsFilter, findMatchingUntoleratedTaint, formatTaint } from '../tolerations';

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint ${formatTaint(taint)}`;
}

/** The filter's verdict for one node's taints. */
export function taintTolerationFilterStatus(taints: readonly Taint[], tolerations: readonly Toleration[]): Status | undefined {
  const taint = findMatchingUntoleratedTaint(taints, tolerations, doNotScheduleTaintsFilter);
  return taint ? unresolvable('TaintToleration', untoleratedTaintReason(taint)) : undefined;
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    return taintTolerationFilterStatus(nodeInfo.node.taints ?? [], state.pod.spec.tolerations);
  },
};
