// A Service whose selector matches no pod template gets no endpoints: traffic to it goes nowhere.
import { isRecord, keyRange, type ManifestDocument, type ManifestFile } from '../manifest';
import type { Rule, RuleContext } from './types';
import type { Finding, Fix } from '../findings';
import { defineRule } from './define-rule';
import { setMapEntries } from './edits/map-edit';
import { mappingLines } from '../text-edits';
import { indentUnit, lineStart, pairBlock } from './edits/line-blocks';
import { stringMap, valueAt } from '../manifest/pod-template';
import { buildChain, labelsAddedBy } from '../scope/kustomize-build';
import { describeLabels, describeWorkload, podTemplatesNear, serviceSelector, templatesSelectedBy, type WorkloadTemplate } from '../scope/workspace-lookup';

export const serviceSelectsNothing: Rule = defineRule({
  id: 'service-selects-nothing',
  title: 'Service selector matches no pod template',
  severity: 'warning',
  kinds: ['v1/Service'],
  crossDocument: true,
  description: [
    'The endpoints controller adds every ready pod whose labels contain all of the Service\'s `spec.selector` pairs to the Service\'s endpoints.',
    'When no workload in the workspace (in the Service\'s namespace) creates pods with those labels, the Service has no endpoints:',
    'connections to it are refused or time out, and nothing else warns you. A typo in a label key or value is the usual cause.',
    'The rule only speaks when the namespace has at least one pod template in the workspace, so a Service for pods deployed from elsewhere is not reported. An Argo Rollout\'s `spec.template` counts as a pod template: its ReplicaSets make its pods from it; so do a prometheus-operator Prometheus and Alertmanager, whose pods carry their `spec.podMetadata.labels` and the operator\'s labels.',
    'A selector written in workload syntax (`selector: {matchLabels: ...}`) is an error of its own: a Service selector is a plain label map.',
  ].join(' '),
  remediation: 'Make the selector a subset of the pod template labels of the workload the Service fronts (the quick-fix offers the workloads whose labels use the same keys).',
  check,
});

function check({ file, doc, workspace }: RuleContext): Finding[] {
  const workloadStyle = workloadStyleSelector(file, doc);
  if (workloadStyle) return [workloadStyle];
  const selector = serviceSelector(doc);
  if (!selector || Object.keys(selector).length === 0) return [];
  const from = { uri: file.uri, doc };
  if (templatesSelectedBy(workspace, from).templates.length > 0) return [];
  const matching = templatesSelectedBy(workspace, from, true).templates;
  if (matching.length > 0) return [otherNamespace(doc, selector, matching)];
  const near = podTemplatesNear(workspace, doc);
  if (near.length === 0) return [];
  const fixes = (): Fix[] => {
    // workloads whose labels use every selector key: most likely the intended ones (looked for only when fixes are asked for)
    const candidates = near.filter((t) => Object.keys(selector).every((k) => k in t.template.labels)).slice(0, 3);
    const out: Fix[] = [];
    for (const c of candidates) {
      const wanted = Object.fromEntries(Object.keys(selector).map((k) => [k, c.template.labels[k]]));
      const edits = setMapEntries(file.text, doc, ['spec', 'selector'], wanted);
      if (edits) out.push({ title: `Select the pods of ${describeWorkload(c)} (${describeLabels(wanted)})`, edits, preferred: candidates.length === 1 || undefined });
    }
    return out;
  };
  const others = near.slice(0, 5).map((t) => `${describeWorkload(t)} (${describeLabels(t.template.labels)})`);
  // The labels its kustomizations (and their components) add to it as they build it, said: they are not in the text.
  const added = labelsAddedBy(buildChain(workspace, file.uri), 'selectors');
  const built = added ? ` (with ${describeLabels(added)} from its kustomization)` : '';
  return [
    {
      ruleId: serviceSelectsNothing.id,
      range: keyRange(doc, ['spec', 'selector'])!,
      message: `Service "${doc.name ?? ''}" selects ${describeLabels(selector)}${built}, which no pod template in the workspace carries: it would have no endpoints and its traffic would go nowhere. Pod templates in its namespace: ${others.join('; ')}${near.length > 5 ? '; ...' : ''}.`,
      fixes,
    },
  ];
}

/**
 * The labels match pods, but of another namespace: a Service selects only pods of its own. Only
 * reached when both namespaces are set (an unset one is whatever `kubectl apply -n` says, see
 * docs/scope.md), so no fix: which of the two is wrong is the user's call.
 */
function otherNamespace(doc: ManifestDocument, selector: Record<string, string>, matches: WorkloadTemplate[]): Finding {
  const listed = matches.slice(0, 3).map((t) => `${describeWorkload(t)} in namespace "${t.entry.doc.namespace}"`);
  return {
    ruleId: serviceSelectsNothing.id,
    range: keyRange(doc, ['spec', 'selector'])!,
    message: `Service "${doc.name ?? ''}" (namespace "${doc.namespace}") selects ${describeLabels(selector)}, which ${listed.join('; ')}${matches.length > 3 ? ', ...' : ''} carr${matches.length === 1 ? 'ies' : 'y'}: a Service selects only pods of its own namespace, so it would have no endpoints.`,
  };
}

/** `selector: {matchLabels: ...}` on a Service: the Deployment syntax where a plain map belongs. */
function workloadStyleSelector(file: ManifestFile, doc: ManifestDocument): Finding | undefined {
  const raw = valueAt(doc.value, ['spec', 'selector']);
  if (!isRecord(raw)) return undefined;
  const field = isRecord(raw.matchLabels) ? 'matchLabels' : Array.isArray(raw.matchExpressions) ? 'matchExpressions' : undefined;
  if (!field) return undefined;
  const labels = stringMap(raw.matchLabels);
  const fixes = (): Fix[] => {
    const text = file.text;
    const block = pairBlock(text, doc, ['spec', 'selector']);
    if (!(field === 'matchLabels' && labels && Object.keys(labels).length > 0 && Object.keys(raw).length === 1 && block)) return [];
    const unit = indentUnit(text, doc);
    const start = lineStart(text, block.keyStart);
    return [
      {
        title: `Use the labels as the Service selector (${describeLabels(labels)})`,
        preferred: true,
        edits: [{ range: [start, block.end], newText: `${' '.repeat(block.column)}selector:\n${mappingLines(labels, block.column + unit)}` }],
      },
    ];
  };
  return {
    ruleId: serviceSelectsNothing.id,
    severity: 'error',
    range: keyRange(doc, ['spec', 'selector', field])!,
    message: `A Service selector is a plain map of labels; \`${field}\` is workload (Deployment) syntax. The API server rejects it (\`spec.selector.${field}\` must be a string), and without a selector the Service would select no pods.`,
    fixes,
  };
}
