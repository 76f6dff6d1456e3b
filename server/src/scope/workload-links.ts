// What acts on a workload, as the CodeLens above it says: the Services and the budgets that select
// its pods, the autoscaler that scales it, the network policies that select them. Found exactly as
// find-references and the Dry-run find them (links.ts, workspace-lookup.ts), so the lens, the
// navigation and the diagnostics agree.
import { isRecord, valueRange, type ObjectPath } from '../manifest';
import { valueAt } from '../manifest/pod-template';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { selectors, type Place } from './links';
import { autoscalerOf } from './workspace-lookup';

export interface WorkloadLink {
  relation: 'selected by' | 'scaled by' | 'protected by' | 'isolated by';
  /** The short kind a person reads (`HPA`, `PDB`). */
  kind: string;
  name: string;
  /** What the object says about the workload: the HPA's bounds, the PDB's budget. */
  detail?: string;
  /** The object's `metadata.name`. */
  place: Place;
}

const RELATION: Record<string, WorkloadLink['relation']> = { Service: 'selected by', PodDisruptionBudget: 'protected by', NetworkPolicy: 'isolated by' };
const SHORT_KIND: Record<string, string> = { PodDisruptionBudget: 'PDB', HorizontalPodAutoscaler: 'HPA' };

export function linksToWorkload(workspace: WorkspaceIndex, workload: IndexedDocument): WorkloadLink[] {
  const links: WorkloadLink[] = [];
  for (const { entry } of selectors(workspace, workload)) {
    const kind = entry.doc.kind!;
    links.push(link(RELATION[kind], entry, kind === 'PodDisruptionBudget' ? budgetOf(entry.doc.value) : undefined));
  }
  const hpa = autoscalerOf(workspace, workload);
  if (hpa) links.push(link('scaled by', hpa, boundsOf(hpa.doc.value)));
  // The order a person reads it: who sends traffic, who scales, who protects, who fences.
  const order: WorkloadLink['relation'][] = ['selected by', 'scaled by', 'protected by', 'isolated by'];
  return links.sort((a, b) => order.indexOf(a.relation) - order.indexOf(b.relation));
}

function link(relation: WorkloadLink['relation'], entry: IndexedDocument, detail: string | undefined): WorkloadLink {
  const kind = entry.doc.kind!;
  const name: ObjectPath = ['metadata', 'name'];
  return { relation, kind: SHORT_KIND[kind] ?? kind, name: entry.doc.name ?? '', detail, place: { uri: entry.uri, range: valueRange(entry.doc, name) ?? entry.doc.range } };
}

/** `2-10`: minReplicas defaults to 1 (autoscaling/v2 SetDefaults_HorizontalPodAutoscaler). */
function boundsOf(hpa: unknown): string | undefined {
  const spec = valueAt(hpa, ['spec']);
  if (!isRecord(spec)) return undefined;
  const min = spec.minReplicas ?? 1;
  return spec.maxReplicas === undefined ? undefined : `${String(min)}-${String(spec.maxReplicas)}`;
}

/** `minAvailable 2` or `maxUnavailable 25%`, as the budget writes it. */
function budgetOf(pdb: unknown): string | undefined {
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const value = valueAt(pdb, ['spec', field]);
    if (typeof value === 'number' || typeof value === 'string') return `${field} ${value}`;
  }
  return undefined;
}
