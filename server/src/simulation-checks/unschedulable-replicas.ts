// Replicas the scheduler can never place on the cluster in force, on the field that keeps them out.
import { blameReason } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';

export const unschedulableReplicas: SimulationRule = {
  id: 'unschedulable-replicas',
  title: 'Replicas that the scheduler can never place on the cluster.',
  severity: 'warning',
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'Pod', 'Rollout'],
  description:
    "kdry runs the workload through its simulator of kube-scheduler on the cluster in force (the embedded default cluster, `.kdry/cluster.yaml`, `kdry.clusterFile` or `kdry check --cluster`). Pods that fit on no node stay `Pending` for good, with the scheduler's `FailedScheduling` message (`0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ...`): the workload never reaches its replica count. The finding sits on what keeps the most nodes out: the resource request, the `nodeSelector` or node affinity, the host port, the topology spread or pod (anti-)affinity rule, or the pod spec that lacks a toleration. Pods the workload's own replicas crowd out count too (four 3-CPU replicas on three 4-CPU nodes).",
  remediation:
    'Ask for no more than a node offers (the quick-fix lowers the request to what the largest node the pod may run on offers), match labels the nodes have, tolerate the taint the nodes carry (quick-fix when one taint keeps the pod out), or run fewer replicas. If the cluster file is out of date, refresh it (`kubectl get nodes -o yaml > .kdry/cluster.yaml`).',
  findings({ file, doc, verdict, cluster }) {
    const pending = verdict.pending;
    if (!pending || verdict.kind === 'DaemonSet') return [];
    const reason = mainReason(schedulerReasons(pending.message));
    const blame = reason ? blameReason(file, doc, reason, pending) : undefined;
    const what = verdict.kind === 'Pod' ? 'This pod' : `${pending.pending} of ${pending.total} ${verdict.kind === 'Job' ? 'pods' : 'replicas'}`;
    const finding: Finding = {
      ruleId: 'unschedulable-replicas',
      range: blame?.range ?? [doc.range[0], doc.range[0]],
      message: `${what} can never be scheduled on ${cluster.source} (${cluster.nodeCount} nodes): ${pending.message}${blame?.detail ? ` ${blame.detail}` : ''}`,
    };
    if (blame?.fixes) finding.fixes = blame.fixes;
    return [finding];
  },
};
