// Numbers the API server's validation bounds although the schema only says "integer": ports
// must be 1-65535 and counts must not be negative.
import { isRecord, valueRange, type ManifestDocument, type ObjectPath } from '../manifest';
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
    'counts (`replicas`, `minReadySeconds`, `revisionHistoryLimit`, StatefulSet `ordinals.start`, Job `parallelism`/`completions`/`backoffLimit`, CronJob history limits and `startingDeadlineSeconds`) `must be greater than or equal to 0`.',
  ].join(' '),
  remediation: 'Use a port between 1 and 65535 and counts of 0 or more.',
  check,
});

// Each field's value is read and bounded first; its path is built only for a finding (a path per
// field and port, built up front, was most of what this rule allocated; issue #11).
function check({ doc }: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const spec = fieldOf(doc.value, 'spec');
  const counts = COUNTS[doc.kind ?? ''];
  if (counts) for (const f of counts) if (outOfRange(fieldOf(spec, f), NON_NEGATIVE)) report(findings, doc, ['spec', f], NON_NEGATIVE);
  // ValidateStatefulSetSpec (pkg/apis/apps/validation/validation.go): ValidateNonnegativeField(spec.Ordinals.Start, "ordinals.start").
  if (doc.kind === 'StatefulSet' && outOfRange(fieldOf(fieldOf(spec, 'ordinals'), 'start'), NON_NEGATIVE)) report(findings, doc, ['spec', 'ordinals', 'start'], NON_NEGATIVE);
  if (doc.kind === 'CronJob') {
    const jobSpec = fieldOf(fieldOf(spec, 'jobTemplate'), 'spec');
    for (const f of COUNTS.Job) if (outOfRange(fieldOf(jobSpec, f), NON_NEGATIVE)) report(findings, doc, ['spec', 'jobTemplate', 'spec', f], NON_NEGATIVE);
  }
  if (doc.kind === 'Service') {
    const ports = fieldOf(spec, 'ports');
    if (Array.isArray(ports))
      for (let i = 0; i < ports.length; i++) {
        const port: unknown = ports[i];
        if (outOfRange(fieldOf(port, 'port'), PORT)) report(findings, doc, ['spec', 'ports', i, 'port'], PORT);
        if (outOfRange(fieldOf(port, 'targetPort'), PORT)) report(findings, doc, ['spec', 'ports', i, 'targetPort'], PORT);
      }
  }
  if (podTemplatePath(doc)) {
    for (const c of podTemplate(doc, true)?.containers ?? []) {
      const ports = c.value.ports;
      if (!Array.isArray(ports)) continue;
      for (let i = 0; i < ports.length; i++) {
        const port: unknown = ports[i];
        if (outOfRange(fieldOf(port, 'containerPort'), PORT)) report(findings, doc, [...c.path, 'ports', i, 'containerPort'], PORT);
        const hostPort = fieldOf(port, 'hostPort');
        if (hostPort !== 0 && outOfRange(hostPort, PORT)) report(findings, doc, [...c.path, 'ports', i, 'hostPort'], PORT);
      }
    }
  }
  return findings;
}

/** A field of a map (valueAt for one segment). */
function fieldOf(value: unknown, field: string): unknown {
  return isRecord(value) ? value[field] : undefined;
}

/** An integer outside `bound` (what is not an integer is the schema's to report). */
function outOfRange(value: unknown, bound: Bound): value is number {
  return typeof value === 'number' && Number.isInteger(value) && (value < bound.min || value > bound.max);
}

function report(findings: Finding[], doc: ManifestDocument, path: ObjectPath, bound: Bound): void {
  const range = valueRange(doc, path);
  if (!range) return;
  const field = path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1);
  findings.push({ ruleId: numberRange.id, range, message: `The API server rejects this ${doc.kind}: \`${field}: Invalid value: ${valueAt(doc.value, path) as number}: ${bound.says}\`.` });
}
