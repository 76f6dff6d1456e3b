// A workload that sets `spec.replicas` while a HorizontalPodAutoscaler scales it: every
// `kubectl apply` of the manifest sets the count back to the file's number, until the autoscaler
// corrects it on its next sync. The Kubernetes documentation advises removing `spec.replicas`
// ("Migrating Deployments and StatefulSets to horizontal autoscaling").
import { keyRange } from '../manifest';
import type { Finding } from '../findings';
import { autoscalerOf } from '../scope/workspace-lookup';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';

export const hpaManagedReplicas: Rule = defineRule({
  id: 'hpa-managed-replicas',
  title: 'Replicas set on an autoscaled workload',
  severity: 'warning',
  kinds: ['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/ReplicaSet', 'v1/ReplicationController'],
  crossDocument: true,
  description: [
    'When a HorizontalPodAutoscaler in scope targets this workload, it owns the replica count.',
    'A `spec.replicas` in the manifest is applied again by every `kubectl apply`: the workload jumps back to that number (scaling pods down or up) until the autoscaler\'s next sync corrects it.',
  ].join(' '),
  remediation: 'Remove `spec.replicas` from the manifest and let the autoscaler\'s `minReplicas` and `maxReplicas` decide.',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const replicas = valueAt(doc.value, ['spec', 'replicas']);
  if (typeof replicas !== 'number' || !doc.name) return [];
  const hpa = autoscalerOf(workspace, { uri: file.uri, doc });
  if (!hpa) return [];
  const min = valueAt(hpa.doc.value, ['spec', 'minReplicas']);
  const max = valueAt(hpa.doc.value, ['spec', 'maxReplicas']);
  return [
    {
      ruleId: hpaManagedReplicas.id,
      range: keyRange(doc, ['spec', 'replicas'])!,
      message: `HorizontalPodAutoscaler "${hpa.doc.name}" scales this ${doc.kind} (${typeof min === 'number' ? min : 1}-${typeof max === 'number' ? max : '?'} replicas): every \`kubectl apply\` of this file resets it to ${replicas} until the autoscaler's next sync. Remove \`replicas\` and let the autoscaler decide.`,
    },
  ];
}
