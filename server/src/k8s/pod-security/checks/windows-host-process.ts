// policy/check_windowsHostProcess.go: baseline, no windowsOptions.hostProcess=true on the pod or a
// container (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, podSecurityContext, rec, visitContainers } from '../helpers';

export const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: windowsHostProcess_1_0 }],
};

function windowsHostProcess_1_0(pod: PodParts): CheckResult {
  const bad: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    if (rec(c.securityContext?.windowsOptions)?.hostProcess === true) {
      bad.push(c.name);
      paths.push([...c.path, 'securityContext', 'windowsOptions', 'hostProcess']);
    }
  });
  const setters: string[] = [];
  if (rec(podSecurityContext(pod)?.windowsOptions)?.hostProcess === true) {
    setters.push('pod');
    paths.unshift(['spec', 'securityContext', 'windowsOptions', 'hostProcess']);
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'hostProcess', forbiddenDetail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, paths };
}
