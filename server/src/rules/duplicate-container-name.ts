// Container names identify containers in a pod (logs, exec, status): the API server refuses duplicates.
import { valueRange, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { podTemplate } from '../manifest/pod-template';
import { FreshNames } from './edits/fresh-names';
import { fieldPath } from './lookup/field-path';

export const duplicateContainerName: Rule = defineRule({
  id: 'duplicate-container-name',
  title: 'Two containers with the same name',
  severity: 'error',
  partialObjects: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod'],
  description:
    'Every container of a pod, init containers included, needs its own name: the kubelet, `kubectl logs -c`, `kubectl exec -c` and the pod status address containers by name. The API server rejects a pod template with a repeated name: `spec.template.spec.containers[1].name: Duplicate value: "web"`.',
  remediation: 'Give each container (and init container) a distinct name.',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const template = podTemplate(doc, true);
  // One container cannot repeat a name; most pods have one.
  if (!template || template.containers.length < 2) return [];
  const seen = new Map<string, ObjectPath>();
  // The names a rename must avoid, gathered at the first repeat (most pods have none).
  let fresh: FreshNames | undefined;
  const findings: Finding[] = [];
  for (const c of template.containers) {
    const name = c.value.name;
    if (typeof name !== 'string') continue;
    const first = seen.get(name);
    if (!first) {
      seen.set(name, c.path);
      continue;
    }
    const range = valueRange(doc, [...c.path, 'name'])!;
    fresh ??= new FreshNames(template.containers.map((c) => c.value.name).filter((n): n is string => typeof n === 'string'));
    const renamed = fresh.for(name);
    findings.push({
      ruleId: duplicateContainerName.id,
      range,
      message: `The API server rejects this ${doc.kind}: \`${fieldPath(c.path)}.name: Duplicate value: "${name}"\` (also the name of ${fieldPath(first)}).`,
      fixes: () => [{ title: `Rename to ${renamed}`, edits: [{ range, newText: yamlScalar(renamed) }] }],
    });
  }
  return findings;
}
