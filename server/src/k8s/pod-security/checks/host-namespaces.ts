// policy/check_hostNamespaces.go: baseline, no hostNetwork, hostPID or hostIPC (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts } from '../check';

export const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostNamespaces_1_0 }],
};

function hostNamespaces_1_0(pod: PodParts): CheckResult {
  const fields = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true);
  if (fields.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'host namespaces', forbiddenDetail: fields.map((f) => `${f}=true`).join(', '), paths: fields.map((f) => ['spec', f]) };
}
