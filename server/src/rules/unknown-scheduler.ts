// A pod template that names a scheduler the application does not deploy. kube-scheduler takes only
// the pods whose schedulerName matches one of its profiles (pkg/scheduler/eventhandlers.go,
// responsibleForPod); every other pod is left to a scheduler that may not exist, so it stays Pending
// with no event at all. The scheduler may run in the cluster already (a platform's batch scheduler),
// so this is a warning that says where kdry looked.
import { valueRange } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import { suggestNames } from '../schema/did-you-mean';
import { DEFAULT_SCHEDULER, NO_SCHEDULER_CONSEQUENCE, declaredSchedulers } from '../scope/schedulers';
import { fixesFor, type Finding } from '../findings';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { yamlScalar } from '../text-edits';

export const unknownScheduler: Rule = defineRule({
  id: 'unknown-scheduler',
  title: 'Pods name a scheduler that is not deployed',
  severity: 'warning',
  crossDocument: true,
  description: [
    'A pod is scheduled by the scheduler its `schedulerName` names (`default-scheduler` when unset). kube-scheduler takes only the pods whose `schedulerName` is one of its profiles',
    '(`pkg/scheduler/eventhandlers.go`, responsibleForPod), so pods that name a scheduler nobody runs stay Pending forever, and no event says why (`kubectl describe pod` shows `Events: <none>`).',
    'kdry knows `default-scheduler` and every profile of a KubeSchedulerConfiguration in the workspace: a document of its own, or the text of a ConfigMap `data` value (also one that a kustomization `configMapGenerator` makes from a file), the way a second scheduler is deployed.',
    'A pod with `nodeName` set skips the scheduler and is not reported. The scheduler may run in the cluster already (a batch or platform scheduler), so this is a warning.',
  ].join(' '),
  remediation: 'Remove `schedulerName` (or fix its spelling) to use the default scheduler, or deploy a scheduler with a profile of that name along with the application.',
  check,
});

function check({ doc, workspace }: RuleContext): Finding[] {
  const template = podTemplatePath(doc);
  if (!template) return [];
  const spec = [...template, 'spec'];
  const name = valueAt(doc.value, [...spec, 'schedulerName']);
  if (typeof name !== 'string' || name === '' || name === DEFAULT_SCHEDULER) return [];
  // A pod bound to a node by name never goes through a scheduler.
  const nodeName = valueAt(doc.value, [...spec, 'nodeName']);
  if (typeof nodeName === 'string' && nodeName !== '') return [];
  const known = declaredSchedulers(workspace);
  if (known.some((s) => s.name === name)) return [];
  const range = valueRange(doc, [...spec, 'schedulerName']);
  if (!range) return [];
  const declared = [...new Set(known.map((s) => s.name).filter((n) => n !== DEFAULT_SCHEDULER))];
  const suggestion = suggestNames(name, [DEFAULT_SCHEDULER, ...declared]);
  const profiles = declared.length
    ? `the KubeSchedulerConfigurations in the workspace declare ${declared.map((n) => `"${n}"`).join(', ')}`
    : 'no KubeSchedulerConfiguration in the workspace declares another';
  return [
    {
      ruleId: unknownScheduler.id,
      range,
      message:
        `No scheduler named "${name}" is deployed with the application (the cluster's own is "${DEFAULT_SCHEDULER}"; ${profiles}). ` +
        `${NO_SCHEDULER_CONSEQUENCE}${suggestion.names.length ? ` Did you mean "${suggestion.names[0]}"?` : ''}`,
      fixes: fixesFor(suggestion.names.slice(0, 3), (n, i) => ({ title: `Change to "${n}"`, edits: [{ range, newText: yamlScalar(n) }], preferred: (suggestion.clear && i === 0) || undefined })),
    },
  ];
}
