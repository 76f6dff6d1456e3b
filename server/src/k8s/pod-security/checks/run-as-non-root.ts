// policy/check_runAsNonRoot.go: restricted, runAsNonRoot=true on the pod or every container (1.0+);
// from 1.35 any value in a user namespace (hostUsers: false).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isSet, joinQuote, pluralize, podSecurityContext, relaxPolicyForUserNamespacePod, visitContainers } from '../helpers';

export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minimumVersion: 0, checkPod: runAsNonRoot1_0 },
    { minimumVersion: 35, checkPod: runAsNonRoot1_35 },
  ],
};

function runAsNonRoot1_35(pod: PodParts): CheckResult {
  return relaxPolicyForUserNamespacePod(pod.spec) ? ALLOWED : runAsNonRoot1_0(pod);
}

function runAsNonRoot1_0(pod: PodParts): CheckResult {
  const badSetters: string[] = [];
  const explicitPaths: TemplatePath[] = [];
  const implicitPaths: TemplatePath[] = [];
  let podRunAsNonRoot = false;
  const podValue = podSecurityContext(pod)?.runAsNonRoot;
  if (isSet(podValue)) {
    if (podValue !== true) {
      badSetters.push('pod');
      explicitPaths.push(['spec', 'securityContext', 'runAsNonRoot']);
    } else podRunAsNonRoot = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(pod, (c) => {
    const value = c.securityContext?.runAsNonRoot;
    if (isSet(value)) {
      if (value !== true) {
        explicitlyBad.push(c.name);
        explicitPaths.push([...c.path, 'securityContext', 'runAsNonRoot']);
      }
    } else if (!podRunAsNonRoot) {
      implicitlyBad.push(c.name);
      implicitPaths.push([...c.path, 'securityContext', 'runAsNonRoot']);
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(`${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters.length > 0) {
    return { allowed: false, forbiddenReason: 'runAsNonRoot != true', forbiddenDetail: `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`, paths: explicitPaths };
  }
  if (implicitlyBad.length > 0) {
    return {
      allowed: false,
      forbiddenReason: 'runAsNonRoot != true',
      forbiddenDetail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
      paths: implicitPaths,
    };
  }
  return ALLOWED;
}
