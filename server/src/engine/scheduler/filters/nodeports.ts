// NodePorts: a hostPort (per protocol and host IP; 0.0.0.0 means every IP) can be used by one pod
// per node.
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unschedulable } from '../framework';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    for (const p of state.pod.spec.hostPorts) {
      if (nodeInfo.hostPortConflicts(p.hostIP, p.protocol, p.hostPort)) return unschedulable(this.name, ERR_REASON_NODE_PORTS);
    }
    return undefined;
  },
};
