// policy/check_appArmorProfile.go: baseline, AppArmor profile types RuntimeDefault or Localhost
// only, and the deprecated container.apparmor annotations `runtime/default` or `localhost/*` (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, podSecurityContext, rec, sortedSet, str, visitContainers } from '../helpers';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: appArmorProfile_1_0 }],
};

function allowedAnnotationValue(profile: string): boolean {
  return profile.length === 0 || profile === 'runtime/default' || profile.startsWith('localhost/');
}

function allowedProfileType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function appArmorProfile_1_0(pod: PodParts): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const paths: TemplatePath[] = [];
  const podProfile = rec(podSecurityContext(pod)?.appArmorProfile);
  if (podProfile && !allowedProfileType(podProfile.type)) {
    badSetters.push('pod');
    badValues.push(str(podProfile.type));
    paths.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
  }
  const badContainers: string[] = [];
  visitContainers(pod, (c) => {
    const profile = rec(c.securityContext?.appArmorProfile);
    if (profile && !allowedProfileType(profile.type)) {
      badContainers.push(c.name);
      badValues.push(str(profile.type));
      paths.push([...c.path, 'securityContext', 'appArmorProfile', 'type']);
    }
  });
  if (badContainers.length > 0) badSetters.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  const forbiddenAnnotations: string[] = [];
  for (const [k, v] of Object.entries(rec(pod.metadata.annotations) ?? {})) {
    if (k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(str(v))) {
      forbiddenAnnotations.push(`${k}=${JSON.stringify(str(v))}`);
      paths.push(['metadata', 'annotations', k]);
    }
  }
  const badValueList = sortedSet(badValues);
  if (forbiddenAnnotations.length > 0) {
    badValueList.push(...forbiddenAnnotations.sort());
    badSetters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }
  if (badSetters.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    forbiddenDetail: `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    paths,
  };
}
