// A PodDisruptionBudget that allows no disruption when every pod is healthy: every voluntary
// eviction is refused, so `kubectl drain` and cluster upgrades wait on these pods for ever.
// Arithmetic as pkg/controller/disruption/disruption.go (getExpectedPodCount) computes it:
// desiredHealthy = minAvailable (a percentage of the expected count, rounded up), or expected
// count - maxUnavailable (a percentage rounded up); disruptionsAllowed = healthy - desiredHealthy.
// Worked example: 3 replicas, minAvailable "50%" -> ceil(1.5) = 2 must stay, 1 may go: fine;
// minAvailable "100%" (or 3, or maxUnavailable 0) -> 0 may go: blocked.
import { isRecord, valueRange, keyRange } from '../manifest';
import type { Finding } from '../findings';
import { getScaledValueFromIntOrPercent, intOrStringOf, type IntOrString } from '../k8s/intstr';
import type { LabelSelector } from '../k8s/labels';
import type { WorkspaceIndex } from '../workspace';
import type { Rule, RuleContext } from './types';
import { defineRule } from './define-rule';
import { valueAt } from '../manifest/pod-template';
import { autoscalerOf, describeWorkload, templatesMatching, type WorkloadTemplate } from '../scope/workspace-lookup';
import { replicasOverride } from '../scope/kustomize-build';

export const pdbBlocksEviction: Rule = defineRule({
  id: 'pdb-blocks-eviction',
  title: 'Disruption budget allows no eviction',
  severity: 'warning',
  kinds: ['policy/v1/PodDisruptionBudget'],
  crossDocument: true,
  description: [
    'The disruption controller allows `healthy - desiredHealthy` evictions, where desiredHealthy is `minAvailable` (a percentage of the expected pods, rounded up) or the expected pods minus `maxUnavailable` (a percentage rounded up).',
    'With `maxUnavailable: 0`, or `minAvailable` at or above the replicas of the pods it selects (with an autoscaler: its `minReplicas`), no eviction is ever allowed:',
    'the eviction API answers `Cannot evict pod as it would violate the pod\'s disruption budget.`, and `kubectl drain`, node upgrades and the cluster autoscaler wait on these pods for ever.',
  ].join(' '),
  remediation: 'Leave room for one pod to go: `maxUnavailable: 1`, or a `minAvailable` below the replicas; or run more replicas.',
  check,
});

const SCALED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const spec = valueAt(doc.value, ['spec']);
  if (!isRecord(spec) || !isRecord(spec.selector)) return [];
  const maxUnavailable = intOrStringOf(spec.maxUnavailable);
  const minAvailable = intOrStringOf(spec.minAvailable);
  const field = maxUnavailable !== undefined ? 'maxUnavailable' : minAvailable !== undefined ? 'minAvailable' : undefined;
  if (!field) return [];
  const range = valueRange(doc, ['spec', field]) ?? keyRange(doc, ['spec', field])!;
  if (maxUnavailable !== undefined && isZero(maxUnavailable)) {
    return [finding(range, `maxUnavailable ${maxUnavailable} allows no disruption of the pods it selects`)];
  }
  const { templates } = templatesMatching(workspace, { uri: file.uri, doc }, spec.selector as LabelSelector);
  // Only workloads with a replica count say how many pods to expect (a DaemonSet has one per node).
  if (templates.length === 0 || !templates.every((t) => SCALED_KINDS.has(t.entry.doc.kind ?? ''))) return [];
  const counted = templates.map((t) => ({ t, ...expectedReplicas(workspace, t) }));
  const expected = counted.reduce((sum, c) => sum + c.replicas, 0);
  let desiredHealthy: number;
  try {
    desiredHealthy =
      maxUnavailable !== undefined ? expected - getScaledValueFromIntOrPercent(maxUnavailable, expected, true) : getScaledValueFromIntOrPercent(minAvailable!, expected, true);
  } catch {
    return []; // not a valid int-or-percent: the schema check says so
  }
  if (expected - desiredHealthy > 0) return [];
  const owners = counted.map((c) => `${describeWorkload(c.t)}: ${c.replicas}${c.hpa ? ` (minReplicas of HorizontalPodAutoscaler "${c.hpa}")` : ''}`).join(', ');
  return [finding(range, `${field} ${field === 'minAvailable' ? minAvailable : maxUnavailable} keeps ${desiredHealthy} of ${expected} expected pods (${owners}) and allows no disruption`)];
}

function finding(range: [number, number], what: string): Finding {
  return {
    ruleId: pdbBlocksEviction.id,
    range,
    message: `${what}: every voluntary eviction is refused (\`Cannot evict pod as it would violate the pod's disruption budget.\`), so \`kubectl drain\` and node upgrades wait on these pods for ever.`,
  };
}

/** The replicas to expect: an autoscaler that targets the workload keeps at least its minReplicas (default 1). */
function expectedReplicas(workspace: WorkspaceIndex, t: WorkloadTemplate): { replicas: number; hpa?: string } {
  const hpa = autoscalerOf(workspace, t.entry);
  if (hpa) {
    const min = valueAt(hpa.doc.value, ['spec', 'minReplicas']);
    return { replicas: typeof min === 'number' ? min : 1, hpa: hpa.doc.name };
  }
  // A kustomization's `replicas:` is the count kustomize writes (scope/kustomize-build.ts).
  const replicas = replicasOverride(workspace, t.entry) ?? valueAt(t.entry.doc.value, ['spec', 'replicas']);
  return { replicas: typeof replicas === 'number' ? replicas : 1 };
}

function isZero(v: IntOrString): boolean {
  return v === 0 || (typeof v === 'string' && /^0+%?$/.test(v.trim()));
}
