// The objects of other files that act on a workload when it is simulated: the
// HorizontalPodAutoscaler that scales it and the PodDisruptionBudgets that select its pods, each
// the nearest in the scope model (docs/scope.md), so an app's Dry-run never picks up another
// app's budget. Objects of the workload's own file are left out: the engine reads those already.
import type { WorkspaceIndex } from '../workspace';
import type { ManifestDocument } from '../manifest';
import { labelSelectorMatches } from '../k8s/labels';
import { podTemplate, valueAt } from '../manifest/pod-template';
import { nearest } from './scope';
import { autoscalerOf } from './workspace-lookup';

export function objectsActingOn(workspace: WorkspaceIndex, workload: { uri: string; doc: ManifestDocument }): unknown[] {
  const out: unknown[] = [];
  const hpa = autoscalerOf(workspace, workload);
  if (hpa && hpa.uri !== workload.uri) out.push(hpa.doc.value);
  const labels = podTemplate(workload.doc)?.labels;
  if (labels && Object.keys(labels).length > 0) {
    const selecting = [...workspace.documents('PodDisruptionBudget')].filter((p) => {
      const selector = valueAt(p.doc.value, ['spec', 'selector']);
      return typeof selector === 'object' && selector !== null && labelSelectorMatches(selector, labels);
    });
    for (const pdb of nearest(workspace, workload, selecting).matches) if (pdb.uri !== workload.uri) out.push(pdb.doc.value);
  }
  return out;
}
