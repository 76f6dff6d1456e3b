// DaemonSet pods that stay Pending on nodes they should run on (since 1.17 the scheduler places them).
import { blameReason } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';

export const daemonsetPodsDoNotFit: SimulationRule = {
  id: 'daemonset-pods-do-not-fit',
  title: 'DaemonSet pods that do not fit on some of the nodes they should run on.',
  severity: 'warning',
  kinds: ['DaemonSet'],
  description:
    "Since Kubernetes 1.17 the DaemonSet controller creates each daemon pod with a required node affinity on its node's name (`ReplaceDaemonSetPodNodeNameNodeAffinity`) and kube-scheduler binds it, so resource fit and host ports apply: a daemon pod that asks for more than its node has stays `Pending` with the scheduler's message, the DaemonSet counts it unavailable and its rollout never completes. Nodes the DaemonSet does not target (nodeSelector, affinity, taints it does not tolerate) are not counted.",
  remediation: 'Lower the request to what the smallest targeted node offers, or keep the DaemonSet off the small nodes (a nodeSelector or node affinity).',
  findings({ file, doc, verdict, cluster }) {
    const pending = verdict.pending;
    if (!pending || verdict.kind !== 'DaemonSet') return [];
    const reason = mainReason(schedulerReasons(pending.message).filter((r) => !r.text.includes('[NodeAffinity]')));
    const blame = reason ? blameReason(file, doc, reason, pending) : undefined;
    const where = pending.nodes?.length ? ` (${listNodes(pending.nodes)})` : '';
    const finding: Finding = {
      ruleId: 'daemonset-pods-do-not-fit',
      range: blame?.range ?? [doc.range[0], doc.range[0]],
      message: `${pending.pending} of ${pending.total} daemon pods stay Pending on ${cluster.source}${where}: ${pending.message}`,
    };
    return [finding];
  },
};

function listNodes(nodes: string[]): string {
  return nodes.length <= 5 ? nodes.join(', ') : `${nodes.slice(0, 5).join(', ')} and ${nodes.length - 5} more`;
}
