// NodeName: a pod that names its node (spec.nodeName) fits only that node.
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from '../framework';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    const wanted = state.pod.spec.nodeName;
    return !wanted || wanted === nodeInfo.node.name ? undefined : unresolvable(this.name, ERR_REASON_NODE_NAME);
  },
};
