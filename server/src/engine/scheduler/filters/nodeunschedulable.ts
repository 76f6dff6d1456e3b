// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from '../framework';
import { tolerationsTolerateTaint } from '../tolerations';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.node.unschedulable) return undefined;
    const tolerated = tolerationsTolerateTaint(state.pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return tolerated ? undefined : unresolvable(this.name, ERR_REASON_UNSCHEDULABLE);
  },
};
