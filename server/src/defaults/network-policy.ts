// pkg/apis/networking/v1/defaults.go: SetDefaults_NetworkPolicy (no policyTypes means Ingress, and
// Egress too when egress rules are written) and SetDefaults_NetworkPolicyPort (protocol TCP).
import { isRecord } from '../manifest';
import { objects, setDefault, type Obj } from './shapes';

export function defaultNetworkPolicy(obj: Obj): void {
  if (!isRecord(obj.spec)) return;
  const spec = obj.spec;
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...objects(spec.ingress), ...objects(spec.egress)]) for (const port of objects(rule.ports)) setDefault(port, 'protocol', 'TCP');
}
