// policy/check_capabilities_restricted.go: restricted, containers must drop ALL and may add only
// NET_BIND_SERVICE (1.22+, replacing the baseline capabilities check); Windows pods exempt from 1.25.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { isWindowsPod, joinQuote, pluralize, rec, sortedSet, strings, visitContainers } from '../helpers';
import { CAPABILITIES_BASELINE_ID } from './capabilities-baseline';

export const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 22, checkPod: capabilitiesRestricted_1_22, overrideCheckIds: [CAPABILITIES_BASELINE_ID] },
    { minimumVersion: 25, checkPod: capabilitiesRestricted_1_25, overrideCheckIds: [CAPABILITIES_BASELINE_ID] },
  ],
};

function capabilitiesRestricted_1_22(pod: PodParts): CheckResult {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    const capabilities = rec(c.securityContext?.capabilities);
    if (!capabilities) {
      missingDropAll.push(c.name);
      paths.push([...c.path, 'securityContext', 'capabilities', 'drop']);
      return;
    }
    if (!strings(capabilities.drop).includes('ALL')) {
      missingDropAll.push(c.name);
      paths.push([...c.path, 'securityContext', 'capabilities', 'drop']);
    }
    const added = strings(capabilities.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) {
      forbidden.push(...added);
      addingForbidden.push(c.name);
      paths.push([...c.path, 'securityContext', 'capabilities', 'add']);
    }
  });
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) details.push(`${pluralize('container', 'containers', addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  if (details.length === 0) return ALLOWED;
  return { allowed: false, forbiddenReason: 'unrestricted capabilities', forbiddenDetail: details.join('; '), paths };
}

function capabilitiesRestricted_1_25(pod: PodParts): CheckResult {
  return isWindowsPod(pod) ? ALLOWED : capabilitiesRestricted_1_22(pod);
}
