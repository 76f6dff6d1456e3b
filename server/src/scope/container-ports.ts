// The ports a pod template's containers declare (`containers[].ports[]`), as the rules that resolve
// a port name on the selected pods (a Service's targetPort, a NetworkPolicy's named port) read them.
import { isRecord } from '../manifest';
import type { WorkloadTemplate } from './workspace-lookup';

export interface DeclaredPort {
  name?: string;
  number: number;
  protocol: string;
  owner: WorkloadTemplate;
}

export function declaredPorts(owner: WorkloadTemplate): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  for (const c of owner.template.containers) {
    if (!Array.isArray(c.value.ports)) continue;
    for (const p of c.value.ports) {
      if (!isRecord(p) || typeof p.containerPort !== 'number') continue;
      out.push({ name: typeof p.name === 'string' ? p.name : undefined, number: p.containerPort, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', owner });
    }
  }
  return out;
}
