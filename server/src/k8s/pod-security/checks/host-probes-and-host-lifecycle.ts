// policy/check_hostProbesAndhostLifecycle.go: baseline, probes and lifecycle handlers must not set
// httpGet.host or tcpSocket.host (1.34+). Containers and hosts are listed sorted (sets.List).
import { ALLOWED, type Check, type CheckResult, type PodParts, type TemplatePath } from '../check';
import { joinQuote, pluralize, rec, sortedSet, str, visitContainers } from '../helpers';

export const hostProbesAndHostLifecycle: Check = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minimumVersion: 34, checkPod: hostProbesAndHostLifecycleV1Dot34 }],
};

function hostProbesAndHostLifecycleV1Dot34(pod: PodParts): CheckResult {
  const badContainers: string[] = [];
  const forbidden: string[] = [];
  const paths: TemplatePath[] = [];
  visitContainers(pod, (c) => {
    const handlers: [unknown, TemplatePath][] = [
      ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p): [unknown, TemplatePath] => [c.container[p], [...c.path, p]]),
      ...['postStart', 'preStop'].map((h): [unknown, TemplatePath] => [rec(c.container.lifecycle)?.[h], [...c.path, 'lifecycle', h]]),
    ];
    for (const [handler, at] of handlers) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = str(rec(rec(handler)?.[action])?.host);
        if (host === '') continue;
        badContainers.push(c.name);
        forbidden.push(host);
        paths.push([...at, action, 'host']);
      }
    }
  });
  if (badContainers.length === 0) return ALLOWED;
  const containers = sortedSet(badContainers);
  const hosts = sortedSet(forbidden);
  return {
    allowed: false,
    forbiddenReason: 'probe or lifecycle host',
    forbiddenDetail: `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.length)} ${joinQuote(hosts)}`,
    paths,
  };
}
