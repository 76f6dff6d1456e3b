// Cross-document lookups: Services and pod templates across every file of the workspace.
import type { IndexedDocument, WorkspaceIndex } from '../../workspace';
import { isRecord, type ManifestDocument } from '../../manifest';
import { serviceSelectorMatches } from '../../engine/labels';
import { podTemplate, stringMap, valueAt, type PodTemplateInfo } from './pod-template';

/** Two objects in the same namespace (an unset namespace is the one kubectl applies to). */
export function sameNamespace(a: ManifestDocument, b: ManifestDocument): boolean {
  return (a.namespace ?? '') === (b.namespace ?? '');
}

export function servicesNamed(workspace: WorkspaceIndex, name: string, near: ManifestDocument): IndexedDocument[] {
  return [...workspace.documents('Service')].filter((s) => s.doc.apiVersion === 'v1' && s.doc.name === name && sameNamespace(s.doc, near));
}

export function serviceSelector(svc: ManifestDocument): Record<string, string> | undefined {
  return stringMap(valueAt(svc.value, ['spec', 'selector']));
}

export function isHeadless(svc: ManifestDocument): boolean {
  const spec = valueAt(svc.value, ['spec']);
  return isRecord(spec) && spec.clusterIP === 'None';
}

export interface WorkloadTemplate {
  entry: IndexedDocument;
  template: PodTemplateInfo;
}

/** Every pod template (workloads, CronJobs, bare Pods) in the namespace of `near`. */
export function podTemplatesNear(workspace: WorkspaceIndex, near: ManifestDocument): WorkloadTemplate[] {
  const out: WorkloadTemplate[] = [];
  for (const entry of workspace.documents()) {
    if (entry.doc.kind === 'Service' || !sameNamespace(entry.doc, near)) continue;
    const template = podTemplate(entry.doc, true);
    if (template) out.push({ entry, template });
  }
  return out;
}

/** The pod templates a Service's selector selects (for findings and for hovers). */
export function templatesSelectedBy(workspace: WorkspaceIndex, svc: ManifestDocument): WorkloadTemplate[] {
  const selector = serviceSelector(svc);
  return podTemplatesNear(workspace, svc).filter((t) => serviceSelectorMatches(selector, t.template.labels));
}

export function describeLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(', ') : 'none';
}

export function describeWorkload(t: WorkloadTemplate): string {
  return `${t.entry.doc.kind} "${t.entry.doc.name ?? ''}"`;
}
