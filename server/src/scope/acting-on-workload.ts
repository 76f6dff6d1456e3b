// The objects of other files that act on a workload when it is simulated, each the nearest in the
// scope model (docs/scope.md), so an app's Dry-run never picks up another app's: the
// HorizontalPodAutoscaler that scales it, the workload an Argo Rollout's workloadRef takes its
// template from, the PodDisruptionBudgets that select its pods, and what
// the API server's admission reads for its namespace (the LimitRanges, the ResourceQuotas and the
// Namespace with its Pod Security labels; the rules limit-range, resource-quota and pod-security
// judge with the same objects). Each is given as its kustomization builds it (kustomize-build.ts).
// With `root`, those `root` builds are built as it builds them (the Dry-run of an overlay's patch).
// Objects of the workload's own file are left out: the engine reads those already.
import type { WorkspaceIndex, IndexedDocument } from '../workspace';
import { isRecord, type ManifestDocument } from '../manifest';
import { labelSelectorMatches } from '../k8s/labels';
import { podsTemplate, valueAt } from '../manifest/pod-template';
import { builtObject } from './kustomize-build';
import type { Unit } from './units';
import { namespaceObjectOf } from './namespace-object';
import { limitRangesFor, resourceQuotasFor } from './namespace-policies';
import { nearest } from './scope';
import { autoscalerOf, workloadRefTargetOf } from './workspace-lookup';

export function objectsActingOn(workspace: WorkspaceIndex, workload: { uri: string; doc: ManifestDocument }, root?: Unit): unknown[] {
  const out: unknown[] = [];
  const add = (entry: IndexedDocument) => {
    if (entry.uri !== workload.uri) out.push(builtObject(workspace, entry.uri, entry.doc.value, root));
  };
  const hpa = autoscalerOf(workspace, workload);
  if (hpa) add(hpa);
  // An Argo Rollout's workloadRef: the Deployment (ReplicaSet, PodTemplate) its template comes from.
  const referenced = workloadRefTargetOf(workspace, workload);
  if (referenced) add(referenced);
  const labels = podsTemplate(workload.doc)?.labels;
  if (labels && Object.keys(labels).length > 0) {
    const selecting = [...workspace.documents('PodDisruptionBudget')].filter((p) => {
      const selector = valueAt(p.doc.value, ['spec', 'selector']);
      return typeof selector === 'object' && selector !== null && labelSelectorMatches(selector, labels);
    });
    for (const pdb of nearest(workspace, workload, selecting).matches) add(pdb);
  }
  // The scope model has put these in the workload's namespace already: they are handed to the
  // engine in it (the engine's admission takes the policies of the workload's namespace).
  const namespace = valueAt(builtObject(workspace, workload.uri, workload.doc.value, root), ['metadata', 'namespace']);
  for (const policy of [...limitRangesFor(workspace, workload).matches, ...resourceQuotasFor(workspace, workload).matches]) {
    if (policy.uri === workload.uri) continue;
    out.push(inNamespace(builtObject(workspace, policy.uri, policy.doc.value, root), typeof namespace === 'string' ? namespace : undefined));
  }
  for (const ns of namespaceObjectOf(workspace, workload).matches) add(ns);
  return out;
}

function inNamespace(object: unknown, namespace: string | undefined): unknown {
  if (!isRecord(object)) return object;
  const metadata = { ...(isRecord(object.metadata) ? object.metadata : {}) };
  if (namespace === undefined) delete metadata.namespace;
  else metadata.namespace = namespace;
  return { ...object, metadata };
}
