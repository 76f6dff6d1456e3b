// policy/check_seLinuxOptions.go: baseline, seLinuxOptions.type only container_t,
// container_init_t, container_kvm_t (1.0+; container_engine_t too from 1.31), no user or role.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, podSecurityContext, rec, sortedSet, str, visitContainers, type Rec } from '../helpers';

const TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_1_31 = new Set([...TYPES_1_0, 'container_engine_t']);

export const seLinuxOptions: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: (pod) => seLinuxOptionsCheck(pod, TYPES_1_0) },
    { minimumVersion: 31, checkPod: (pod) => seLinuxOptionsCheck(pod, TYPES_1_31) },
  ],
};

function seLinuxOptionsCheck(pod: PodParts, allowedTypes: Set<string>): CheckResult {
  const badSetters: string[] = [];
  const badTypes: string[] = [];
  const paths: TemplatePath[] = [];
  let setUser = false;
  let setRole = false;
  const valid = (opts: Rec, at: TemplatePath): boolean => {
    let ok = true;
    const type = str(opts.type);
    if (!allowedTypes.has(type)) {
      ok = false;
      badTypes.push(type);
      paths.push([...at, 'type']);
    }
    if (str(opts.user).length > 0) {
      ok = false;
      setUser = true;
      paths.push([...at, 'user']);
    }
    if (str(opts.role).length > 0) {
      ok = false;
      setRole = true;
      paths.push([...at, 'role']);
    }
    return ok;
  };
  const podOptions = rec(podSecurityContext(pod)?.seLinuxOptions);
  if (podOptions && !valid(podOptions, ['spec', 'securityContext', 'seLinuxOptions'])) badSetters.push('pod');
  const bad: string[] = [];
  visitContainers(pod, (c) => {
    const options = rec(c.securityContext?.seLinuxOptions);
    if (options && !valid(options, [...c.path, 'securityContext', 'seLinuxOptions'])) bad.push(c.name);
  });
  if (bad.length > 0) badSetters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (badSetters.length === 0) return ALLOWED;
  const badData: string[] = [];
  const types = sortedSet(badTypes);
  if (types.length > 0) badData.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
  if (setUser) badData.push('user may not be set');
  if (setRole) badData.push('role may not be set');
  return { allowed: false, forbiddenReason: 'seLinuxOptions', forbiddenDetail: `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`, paths };
}
