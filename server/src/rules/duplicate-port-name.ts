// Port names are how Services, probes and other containers refer to ports.
import { isRecord, valueRange, type ObjectPath } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';
import { podTemplate } from '../manifest/pod-template';
import { FreshNames } from './edits/fresh-names';
import { fieldPath } from './lookup/field-path';

export const duplicatePortName: Rule = defineRule({
  id: 'duplicate-port-name',
  title: 'Two ports with the same name',
  severity: 'error',
  partialObjects: true,
  kinds: ['apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Pod'],
  description: [
    'A named port is how a Service `targetPort`, a probe `port` or a `hostPort` mapping refers to it.',
    'Inside one container the API server rejects a repeated name (`spec.template.spec.containers[0].ports[1].name: Duplicate value: "http"`).',
    'Across containers of the same pod it accepts it with a warning (`duplicate port name "http" with ..., services and probes that select ports by name will use ...`):',
    'Services and probes then silently use the first container\'s port, so this case is reported as a warning.',
  ].join(' '),
  remediation: 'Name every port of a pod differently (for example `http` and `metrics`).',
  check,
});

function check({ doc }: RuleContext): Finding[] {
  const template = podTemplate(doc, true);
  if (!template) return [];
  const inPod = new Map<string, ObjectPath>();
  const all: string[] = [];
  for (const c of template.containers) if (Array.isArray(c.value.ports)) for (const p of c.value.ports) if (isRecord(p) && typeof p.name === 'string') all.push(p.name);
  const fresh = new FreshNames(all);
  const findings: Finding[] = [];
  for (const c of template.containers) {
    if (!Array.isArray(c.value.ports)) continue;
    const inContainer = new Map<string, ObjectPath>();
    c.value.ports.forEach((p, i) => {
      if (!isRecord(p) || typeof p.name !== 'string' || p.name === '') return;
      const path = [...c.path, 'ports', i];
      const sameContainer = inContainer.get(p.name);
      const samePod = inPod.get(p.name);
      if (!sameContainer && !samePod) {
        inContainer.set(p.name, path);
        inPod.set(p.name, path);
        return;
      }
      const range = valueRange(doc, [...path, 'name'])!;
      const renamed = fresh.for(p.name);
      const fixes = () => [{ title: `Rename to ${renamed}`, edits: [{ range, newText: yamlScalar(renamed) }] }];
      if (sameContainer) {
        findings.push({
          ruleId: duplicatePortName.id,
          range,
          message: `The API server rejects this ${doc.kind}: \`${fieldPath(path)}.name: Duplicate value: "${p.name}"\` (also ${fieldPath(sameContainer)}).`,
          fixes,
        });
      } else if (samePod) {
        findings.push({
          ruleId: duplicatePortName.id,
          severity: 'warning',
          range,
          message: `${fieldPath(path)}: duplicate port name "${p.name}" with ${fieldPath(samePod)}, services and probes that select ports by name will use ${fieldPath(samePod)} (API server warning).`,
          fixes,
        });
      }
      inContainer.set(p.name, sameContainer ?? path);
    });
  }
  return findings;
}
