// Numbers the API server's validation bounds although the schema only says "integer": ports
// must be 1-65535 and counts must not be negative.
import { valueRange, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { podTemplate, podTemplatePath, valueAt } from '../manifest/pod-template';

const PORT = { min: 1, max: 65535, says: 'must be between 1 and 65535, inclusive' };
const NON_NEGATIVE = { min: 0, max: Infinity, says: 'must be greater than or equal to 0' };
type Bound = typeof PORT;

/** Count fields under spec, by kind (ValidateNonnegativeField in apps and batch validation). */
const COUNTS: Record<string, string[]> = {
  Deployment: ['replicas', 'minReadySeconds', 'revisionHistoryLimit'],
  ReplicaSet: ['replicas', 'minReadySeconds'],
  StatefulSet: ['replicas', 'minReadySeconds', 'revisionHistoryLimit'],
  DaemonSet: ['minReadySeconds', 'revisionHistoryLimit'],
  Job: ['parallelism', 'completions', 'backoffLimit'],
  CronJob: ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
};

export const numberRange: Rule = defineRule({
  id: 'number-range',
  title: 'Port or count out of range',
  severity: 'error',
  partialObjects: true,
  templates: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod', 'v1/Service'],
  description: [
    'The schema types these fields as integers; the API server also bounds them and rejects the object otherwise.',
    'Port numbers (`containerPort`, a non-zero `hostPort`, Service `port` and a numeric `targetPort`) `must be between 1 and 65535, inclusive`;',
    'counts (`replicas`, `minReadySeconds`, `revisionHistoryLimit`, Job `parallelism`/`completions`/`backoffLimit`, CronJob history limits and `startingDeadlineSeconds`) `must be greater than or equal to 0`.',
  ].join(' '),
  remediation: 'Use a port between 1 and 65535 and counts of 0 or more.',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const counts: ObjectPath[] = (COUNTS[doc.kind ?? ''] ?? []).map((f) => ['spec', f]);
  if (doc.kind === 'CronJob') counts.push(...COUNTS.Job.map((f) => ['spec', 'jobTemplate', 'spec', f]));
  const checks: [ObjectPath, Bound][] = counts.map((path) => [path, NON_NEGATIVE]);
  if (doc.kind === 'Service') {
    const ports = valueAt(doc.value, ['spec', 'ports']);
    if (Array.isArray(ports)) ports.forEach((_, i) => checks.push([['spec', 'ports', i, 'port'], PORT], [['spec', 'ports', i, 'targetPort'], PORT]));
  }
  if (podTemplatePath(doc)) {
    for (const c of podTemplate(doc, true)?.containers ?? []) {
      const ports = c.value.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        checks.push([[...c.path, 'ports', i, 'containerPort'], PORT]);
        if (valueAt(p, ['hostPort']) !== 0) checks.push([[...c.path, 'ports', i, 'hostPort'], PORT]);
      });
    }
  }
  const findings: Finding[] = [];
  for (const [path, bound] of checks) {
    const value = valueAt(doc.value, path);
    if (typeof value !== 'number' || !Number.isInteger(value) || (value >= bound.min && value <= bound.max)) continue;
    const range = valueRange(doc, path);
    if (!range) continue;
    const field = path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1);
    findings.push({ ruleId: numberRange.id, range, message: `The API server rejects this ${doc.kind}: \`${field}: Invalid value: ${value}: ${bound.says}\`.` });
  }
  return findings;
}
