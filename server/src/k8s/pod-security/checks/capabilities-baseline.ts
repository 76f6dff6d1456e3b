// policy/check_capabilities_baseline.go: baseline, containers may add only capabilities of the
// container runtime's default set (1.0+).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, rec, sortedSet, strings, visitContainers } from '../helpers';

export const CAPABILITIES_BASELINE_ID = 'capabilities_baseline';

const ALLOWED_1_0 = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

export const capabilitiesBaseline: Check = {
  id: CAPABILITIES_BASELINE_ID,
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: capabilitiesBaseline_1_0 }],
};

function capabilitiesBaseline_1_0(pod: PodParts): CheckResult {
  const badContainers: string[] = [];
  const nonDefault: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    const capabilities = rec(c.securityContext?.capabilities);
    if (!capabilities) return;
    const added = strings(capabilities.add).filter((cap) => !ALLOWED_1_0.has(cap));
    if (added.length === 0) return;
    nonDefault.push(...added);
    badContainers.push(c.name);
    paths.push([...c.path, 'securityContext', 'capabilities', 'add']);
  });
  if (badContainers.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'non-default capabilities',
    forbiddenDetail: `${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)} must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
    paths,
  };
}
