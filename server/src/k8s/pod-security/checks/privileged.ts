// policy/check_privileged.go: baseline, no securityContext.privileged=true (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, visitContainers } from '../helpers';

export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: privileged_1_0 }],
};

function privileged_1_0(pod: PodParts): CheckResult {
  const bad: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    if (c.securityContext?.privileged === true) {
      bad.push(c.name);
      paths.push([...c.path, 'securityContext', 'privileged']);
    }
  });
  if (bad.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'privileged', forbiddenDetail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`, paths };
}
