// Workloads of one scope that ask for the same host port: placed together on the cluster, the
// scheduler cannot put both on a node, and the one placed second runs out of nodes.
import { isRecord } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import { hostPortRange, podSpecPath, podSpecRange } from './blame';
import type { ScopeNeighbour, SimulationRule } from './types';
import type { Finding } from '../findings';
import type { ManifestDocument } from '../manifest';

export const hostPortClash: SimulationRule = {
  id: 'host-port-clash',
  title: 'Two workloads of one scope ask for the same host port, so the scheduler cannot place them both on a node.',
  severity: 'warning',
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod'],
  description:
    "A `hostPort` binds the port on the node itself, so two pods that ask for the same host port (and protocol) cannot run on one node: kube-scheduler's NodePorts filter keeps the second out (`node(s) didn't have free ports for the requested pod ports`). kdry places the long-running workloads of a scope (a kustomization or chart, else a folder) together on the cluster in force (DaemonSet pods first, one per node they target, then the other workloads in file order) and reports a workload whose pods stay Pending together with the others when alone they would all run. A pod of the same workload never clashes with itself this way: its replicas simply go to different nodes.",
  remediation: 'Use a different host port, or none (a Service or `hostNetwork` is usually what is wanted), or keep the workloads apart with a nodeSelector.',
  findings({ doc, verdict, together }) {
    if (!together || together.placed.pending === 0 || verdict.pending) return [];
    const specPath = podSpecPath(doc);
    if (!specPath) return [];
    const ports = hostPorts(doc);
    if (ports.length === 0) return [];
    const clashing = together.members.filter((other) => other.placed !== together.placed && hostPorts(other.doc).some((p) => ports.some((q) => q.port === p.port && q.protocol === p.protocol)));
    if (clashing.length === 0) return [];
    const port = ports.find((q) => clashing.some((other) => hostPorts(other.doc).some((p) => p.port === q.port && p.protocol === q.protocol)))!;
    const range = hostPortRange(doc, specPath, valueAt(doc.value, specPath), port.port) ?? podSpecRange(doc);
    const total = together.placed.placed + together.placed.pending;
    const finding: Finding = {
      ruleId: 'host-port-clash',
      range,
      message: `hostPort ${port.port}/${port.protocol} is also asked for by ${clashing.map(describe).join(', ')} in ${together.scope}: placed together, ${together.placed.pending} of ${total} pods stay Pending: ${together.placed.message}`,
    };
    return [finding];
  },
};

function describe(other: ScopeNeighbour): string {
  return `${other.kind} ${other.name} (${other.file})`;
}

function hostPorts(doc: ManifestDocument): { port: number; protocol: string }[] {
  const specPath = podSpecPath(doc);
  const spec = specPath ? valueAt(doc.value, specPath) : undefined;
  const out: { port: number; protocol: string }[] = [];
  for (const field of ['containers', 'initContainers']) {
    const list = isRecord(spec) ? spec[field] : undefined;
    for (const c of Array.isArray(list) ? list : []) {
      const ports = isRecord(c) && Array.isArray(c.ports) ? c.ports : [];
      for (const p of ports) if (isRecord(p) && typeof p.hostPort === 'number' && p.hostPort > 0) out.push({ port: p.hostPort, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' });
    }
  }
  return out;
}
