// NodeAffinity (filter): spec.nodeSelector and the required node affinity must both match.
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from '../framework';
import { requiredNodeAffinityMatchesParsed } from '../nodeaffinity';

export const ERR_REASON_POD_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    return requiredNodeAffinityMatchesParsed(state.pod.spec.requiredNodeAffinity, nodeInfo.node)
      ? undefined
      : unresolvable(this.name, ERR_REASON_POD_NODE_AFFINITY);
  },
};
