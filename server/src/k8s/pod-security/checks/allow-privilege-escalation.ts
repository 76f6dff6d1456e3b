// policy/check_allowPrivilegeEscalation.go: restricted, containers must set
// securityContext.allowPrivilegeEscalation=false (1.8+); Windows pods are exempt from 1.25.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isWindowsPod, joinQuote, pluralize, visitContainers } from '../helpers';

export const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalation_1_8 },
    { minimumVersion: 25, checkPod: allowPrivilegeEscalation_1_25 },
  ],
};

function allowPrivilegeEscalation_1_8(pod: PodParts): CheckResult {
  const bad: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    if (c.securityContext?.allowPrivilegeEscalation !== false) {
      bad.push(c.name);
      paths.push([...c.path, 'securityContext', 'allowPrivilegeEscalation']);
    }
  });
  if (bad.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'allowPrivilegeEscalation != false',
    forbiddenDetail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    paths,
  };
}

function allowPrivilegeEscalation_1_25(pod: PodParts): CheckResult {
  return isWindowsPod(pod) ? ALLOWED : allowPrivilegeEscalation_1_8(pod);
}
