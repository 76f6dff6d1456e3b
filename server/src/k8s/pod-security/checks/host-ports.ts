// policy/check_hostPorts.go: baseline, no container hostPort (1.0+). The ports are listed as
// sorted strings (sets.String): 443, 80, 8080.
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, rec, sortedSet, visitContainers } from '../helpers';

export const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostPorts_1_0 }],
};

function hostPorts_1_0(pod: PodParts): CheckResult {
  const badContainers: string[] = [];
  const ports: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    let valid = true;
    (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((p, i) => {
      const hostPort = rec(p)?.hostPort;
      if (typeof hostPort === 'number' && hostPort !== 0) {
        valid = false;
        ports.push(String(Math.trunc(hostPort)));
        paths.push([...c.path, 'ports', i, 'hostPort']);
      }
    });
    if (!valid) badContainers.push(c.name);
  });
  if (badContainers.length === 0) return ALLOWED;
  const distinct = sortedSet(ports);
  return {
    allowed: false,
    forbiddenReason: 'hostPort',
    forbiddenDetail: `${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ${pluralize('hostPort', 'hostPorts', distinct.length)} ${distinct.join(', ')}`,
    paths,
  };
}
