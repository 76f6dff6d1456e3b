// A PodDisruptionBudget or NetworkPolicy whose label selector matches no pod template in scope:
// it protects or isolates nothing (or pods kdry cannot see, created elsewhere), so a warning.
import { isRecord, keyRange } from '../manifest';
import type { Finding } from '../findings';
import type { LabelSelector } from '../k8s/labels';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';
import { describeLabels, podTemplatesNear, templatesMatching } from '../scope/workspace-lookup';

export const selectorSelectsNothing: Rule = defineRule({
  id: 'selector-selects-nothing',
  title: 'Disruption budget or network policy selects no pods',
  severity: 'warning',
  kinds: ['policy/v1/PodDisruptionBudget', 'networking.k8s.io/v1/NetworkPolicy'],
  crossDocument: true,
  description: [
    'A PodDisruptionBudget protects, and a NetworkPolicy isolates, the pods its label selector matches in its namespace.',
    'When no pod template in scope (docs/scope.md) carries those labels, the budget protects nothing (evictions of the intended pods go through) and the policy isolates nothing:',
    'usually a typo in a label. The pods may be created outside the repository, so this is a warning. An empty NetworkPolicy `podSelector: {}` selects every pod and is not reported.',
  ].join(' '),
  remediation: 'Use the labels of the pod template you mean (`spec.template.metadata.labels`).',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const path = doc.kind === 'NetworkPolicy' ? ['spec', 'podSelector'] : ['spec', 'selector'];
  const selector = valueAt(doc.value, path);
  if (!isRecord(selector)) return [];
  const { matchLabels, matchExpressions } = selector as LabelSelector;
  if (Object.keys(matchLabels ?? {}).length === 0 && (matchExpressions ?? []).length === 0) return []; // selects every pod
  if (templatesMatching(workspace, { uri: file.uri, doc }, selector as LabelSelector).templates.length > 0) return [];
  // Nothing to compare with: a folder of policies alone says nothing about the pods.
  const near = podTemplatesNear(workspace, doc);
  if (near.length === 0) return [];
  const what = doc.kind === 'NetworkPolicy' ? 'isolates no pods: its rules apply to nothing' : 'protects no pods: evictions of the pods you meant are not limited';
  const others = near.slice(0, 5).map((t) => `${t.entry.doc.kind} "${t.entry.doc.name ?? ''}" (${describeLabels(t.template.labels)})`);
  return [
    {
      ruleId: selectorSelectsNothing.id,
      range: keyRange(doc, path)!,
      message: `${doc.kind} "${doc.name ?? ''}" selects ${describeLabels(matchLabels)}${matchExpressions?.length ? ' and expressions' : ''}, which no pod template in scope carries, so it ${what}. Pod templates in its namespace: ${others.join('; ')}${near.length > 5 ? '; ...' : ''}.`,
    },
  ];
}
