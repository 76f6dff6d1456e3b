// policy/check_seccompProfile_baseline.go: baseline, a seccomp profile, where set, is RuntimeDefault
// or Localhost (1.19+; before 1.19 the alpha annotations runtime/default, docker/default, localhost/*).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, podSecurityContext, rec, sortedSet, str, visitContainers } from '../helpers';

const ANNOTATION_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const ANNOTATION_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const SECCOMP_BASELINE_ID = 'seccompProfile_baseline';

export const seccompProfileBaseline: Check = {
  id: SECCOMP_BASELINE_ID,
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: seccompProfileBaseline_1_0 },
    { minimumVersion: 19, checkPod: seccompProfileBaseline_1_19 },
  ],
};

export function validSeccomp(type: unknown): boolean {
  return type === 'Localhost' || type === 'RuntimeDefault';
}

function validSeccompAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompProfileBaseline_1_0(pod: PodParts): CheckResult {
  const annotations = rec(pod.metadata.annotations) ?? {};
  const forbidden: string[] = [];
  const paths: TemplatePath[] = [];
  const judge = (key: string) => {
    if (!(key in annotations)) return;
    const value = str(annotations[key]);
    if (validSeccompAnnotationValue(value)) return;
    forbidden.push(`${key}=${JSON.stringify(value)}`);
    paths.push(['metadata', 'annotations', key]);
  };
  judge(ANNOTATION_POD);
  visitContainers(pod, (c) => judge(ANNOTATION_CONTAINER_PREFIX + c.name));
  const list = sortedSet(forbidden);
  if (list.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'seccompProfile', forbiddenDetail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`, paths };
}

function seccompProfileBaseline_1_19(pod: PodParts): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const paths: TemplatePath[] = [];
  const podProfile = rec(podSecurityContext(pod)?.seccompProfile);
  if (podProfile && !validSeccomp(podProfile.type)) {
    badSetters.push('pod');
    badValues.push(str(podProfile.type));
    paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
  }
  const bad: string[] = [];
  visitContainers(pod, (c) => {
    const profile = rec(c.securityContext?.seccompProfile);
    if (profile && !validSeccomp(profile.type)) {
      bad.push(c.name);
      badValues.push(str(profile.type));
      paths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
    }
  });
  if (bad.length > 0) badSetters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (badSetters.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'seccompProfile',
    forbiddenDetail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    paths,
  };
}
