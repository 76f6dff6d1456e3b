// Containers without resource requests: the scheduler cannot place them by need.
import { isRecord, keyRange } from '../manifest';
import type { Finding, Rule, RuleContext } from './types';
import { defineRule } from './util/define-rule';
import { podTemplate } from './util/pod-template';

export const missingResourceRequests: Rule = defineRule({
  id: 'missing-resource-requests',
  title: 'Container without CPU and memory requests',
  severity: 'info',
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod'],
  description: [
    'The scheduler places a pod by the sum of its containers\' `resources.requests` (NodeResourcesFit); a container without requests counts as needing nothing,',
    'so many such pods can be packed onto one node and then starve each other. A pod whose containers have neither requests nor limits gets the BestEffort QoS class and is the first to be evicted under node pressure,',
    'and a HorizontalPodAutoscaler cannot compute CPU utilization for it. (When only limits are set, the API server copies them into the requests.)',
  ].join(' '),
  remediation: 'Set `resources.requests.cpu` and `resources.requests.memory` on every container to what it needs at steady state.',
  check,
  fixtures: {
    good: [
      `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {cpu: 100m, memory: 128Mi}
  - name: capped
    image: nginx:1.27
    resources:
      limits: {cpu: 200m, memory: 64Mi}
`,
    ],
    bad: [
      `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {memory: 128Mi}
`,
    ],
  },
});

function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const c of podTemplate(doc)?.containers ?? []) {
    const resources = isRecord(c.value.resources) ? c.value.resources : {};
    const requests = isRecord(resources.requests) ? resources.requests : {};
    const limits = isRecord(resources.limits) ? resources.limits : {};
    // a limit without a request is defaulted into the request
    const missing = ['cpu', 'memory'].filter((r) => requests[r] === undefined && limits[r] === undefined);
    if (missing.length === 0) continue;
    findings.push({
      ruleId: missingResourceRequests.id,
      range: keyRange(doc, [...c.path, 'name']) ?? keyRange(doc, c.path)!,
      message: `Container "${String(c.value.name ?? '')}" requests no ${missing.join(' and ')}: the scheduler places it as if it needed none${missing.length === 2 ? ', and without any requests or limits the pod may be BestEffort (evicted first)' : ''}.`,
    });
  }
  return findings;
}
