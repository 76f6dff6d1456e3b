// policy/check_runAsUser.go: restricted, no runAsUser: 0 on the pod or a container (1.23+); from
// 1.35 any value in a user namespace (hostUsers: false).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, podSecurityContext, relaxPolicyForUserNamespacePod, visitContainers } from '../helpers';

export const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minimumVersion: 23, checkPod: runAsUser1_23 },
    { minimumVersion: 35, checkPod: runAsUser1_35 },
  ],
};

function runAsUser1_35(pod: PodParts): CheckResult {
  return relaxPolicyForUserNamespacePod(pod.spec) ? ALLOWED : runAsUser1_23(pod);
}

function runAsUser1_23(pod: PodParts): CheckResult {
  const badSetters: string[] = [];
  const paths: TemplatePath[] = [];
  if (podSecurityContext(pod)?.runAsUser === 0) {
    badSetters.push('pod');
    paths.push(['spec', 'securityContext', 'runAsUser']);
  }
  const bad: string[] = [];
  visitContainers(pod, (c) => {
    if (c.securityContext?.runAsUser === 0) {
      bad.push(c.name);
      paths.push([...c.path, 'securityContext', 'runAsUser']);
    }
  });
  if (bad.length > 0) badSetters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (badSetters.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'runAsUser=0', forbiddenDetail: `${badSetters.join(' and ')} must not set runAsUser=0`, paths };
}
