// policy/check_seccompProfile_restricted.go: restricted, the pod or every container sets a seccomp
// profile of type RuntimeDefault or Localhost (1.19+, replacing the baseline seccomp check);
// Windows pods exempt from 1.25.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isWindowsPod, joinQuote, pluralize, podSecurityContext, rec, sortedSet, str, visitContainers } from '../helpers';
import { SECCOMP_BASELINE_ID, validSeccomp } from './seccomp-profile-baseline';

export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestricted_1_19, overrideCheckIds: [SECCOMP_BASELINE_ID] },
    { minimumVersion: 25, checkPod: seccompProfileRestricted_1_25, overrideCheckIds: [SECCOMP_BASELINE_ID] },
  ],
};

function seccompProfileRestricted_1_19(pod: PodParts): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const explicitPaths: TemplatePath[] = [];
  const implicitPaths: TemplatePath[] = [];
  let podSeccompSet = false;
  const podProfile = rec(podSecurityContext(pod)?.seccompProfile);
  if (podProfile) {
    if (!validSeccomp(podProfile.type)) {
      badSetters.push('pod');
      badValues.push(str(podProfile.type));
      explicitPaths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
    } else podSeccompSet = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(pod, (c) => {
    const profile = rec(c.securityContext?.seccompProfile);
    if (profile) {
      if (!validSeccomp(profile.type)) {
        explicitlyBad.push(c.name);
        badValues.push(str(profile.type));
        explicitPaths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
      }
    } else if (!podSeccompSet) {
      implicitlyBad.push(c.name);
      implicitPaths.push([...c.path, 'securityContext', 'seccompProfile']);
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(`${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters.length > 0) {
    return {
      allowed: false,
      forbiddenReason: 'seccompProfile',
      forbiddenDetail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
      paths: explicitPaths,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      allowed: false,
      forbiddenReason: 'seccompProfile',
      forbiddenDetail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      paths: implicitPaths,
    };
  }
  return ALLOWED;
}

function seccompProfileRestricted_1_25(pod: PodParts): CheckResult {
  return isWindowsPod(pod) ? ALLOWED : seccompProfileRestricted_1_19(pod);
}
