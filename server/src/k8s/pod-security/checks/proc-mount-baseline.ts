// policy/check_procMount_baseline.go: baseline, securityContext.procMount unset or Default (1.0+);
// from 1.35 any value in a user namespace (hostUsers: false).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isSet, joinQuote, pluralize, relaxPolicyForUserNamespacePod, sortedSet, str, visitContainers } from '../helpers';

export const PROC_MOUNT_ID = 'procMount';

export const procMountBaseline: Check = {
  id: PROC_MOUNT_ID,
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: procMount_1_0 },
    { minimumVersion: 35, checkPod: procMount1_35baseline },
  ],
};

/** Blocks an unmasked /proc unconditionally (also the restricted check from 1.35). */
export function procMount_1_0(pod: PodParts): CheckResult {
  const bad: string[] = [];
  const types: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    const procMount = c.securityContext?.procMount;
    if (!isSet(procMount) || procMount === 'Default') return;
    bad.push(c.name);
    types.push(str(procMount));
    paths.push([...c.path, 'securityContext', 'procMount']);
  });
  if (bad.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'procMount',
    forbiddenDetail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
    paths,
  };
}

function procMount1_35baseline(pod: PodParts): CheckResult {
  return relaxPolicyForUserNamespacePod(pod.spec) ? ALLOWED : procMount_1_0(pod);
}
