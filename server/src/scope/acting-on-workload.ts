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
import { limitRangesFor, policiesOfBuild, resourceQuotasFor } from './namespace-policies';
import { builtObjectsOf } from './built-document';
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
  const built = valueAt(builtObject(workspace, workload.uri, workload.doc.value, root), ['metadata', 'namespace']);
  const namespace = typeof built === 'string' ? built : undefined;
  // In an overlay's build, the LimitRanges, ResourceQuotas and Namespace that build makes in the
  // namespace, as it makes them, when it makes any (another overlay's of the same namespace name are
  // another apply's): the limit-range, resource-quota and pod-security rules judge with the same.
  for (const kind of ['LimitRange', 'ResourceQuota']) {
    const own = policiesOfBuild(workspace, kind, namespace, root);
    const policies = own.length > 0 ? own.map((p) => ({ uri: p.uri, value: p.doc.value })) : (kind === 'LimitRange' ? limitRangesFor : resourceQuotasFor)(workspace, workload).matches.map((p) => ({ uri: p.uri, value: builtObject(workspace, p.uri, p.doc.value, root) }));
    for (const policy of policies) if (policy.uri !== workload.uri) out.push(inNamespace(policy.value, namespace));
  }
  const ownNamespace = root && namespace !== undefined ? builtObjectsOf(workspace, root, 'Namespace').filter((n) => n.doc.apiVersion === 'v1' && n.doc.name === namespace) : [];
  const namespaces = ownNamespace.length > 0 ? ownNamespace.map((n) => ({ uri: n.uri, value: n.doc.value })) : namespaceObjectOf(workspace, workload).matches.map((n) => ({ uri: n.uri, value: builtObject(workspace, n.uri, n.doc.value, root) }));
  for (const ns of namespaces) if (ns.uri !== workload.uri) out.push(ns.value);
  return out;
}

function inNamespace(object: unknown, namespace: string | undefined): unknown {
  if (!isRecord(object)) return object;
  const metadata = { ...(isRecord(object.metadata) ? object.metadata : {}) };
  if (namespace === undefined) delete metadata.namespace;
  else metadata.namespace = namespace;
  return { ...object, metadata };
}
