// The LimitRanges and ResourceQuotas that govern an object's pods, and the other workloads that
// share their namespace: namespace-wide policy objects are found like any reference, nearest first
// in the scope model (docs/scope.md), in the namespace the object will live in.
import { isRecord, type ManifestDocument } from '../manifest';
import { podTemplatePath, valueAt } from '../manifest/pod-template';
import { applyLimitRangeDefaults, limitRangeItems, podResourcesOf, type DefaultedResource, type LimitRangeItem } from '../k8s/limit-range';
import { quotaPodOf, type QuotaPod } from '../k8s/resource-quota';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { nearest, placementOf, ringBetween, Ring } from './scope';

type From = { uri: string; doc: ManifestDocument };

export function limitRangesFor(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  return nearest(workspace, from, [...workspace.documents('LimitRange')].filter((d) => d.doc.apiVersion === 'v1')).matches;
}

export function resourceQuotasFor(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  return nearest(workspace, from, [...workspace.documents('ResourceQuota')].filter((d) => d.doc.apiVersion === 'v1')).matches;
}

export interface AdmittedPod {
  /** The pod spec as written. */
  spec: Record<string, unknown>;
  /** Where it is in the document. */
  specPath: (string | number)[];
  /** The pod as quota sees it: LimitRange defaults applied. */
  pod: QuotaPod;
  /** What the LimitRanges filled in. */
  defaulted: DefaultedResource[];
  limitRanges: { entry: IndexedDocument; items: LimitRangeItem[] }[];
}

/** A workload's (or Pod's) pod after the API server's defaulting and the LimitRanger plugin's defaults. */
export function admittedPod(workspace: WorkspaceIndex, from: From, limitRanges = limitRangesFor(workspace, from)): AdmittedPod | undefined {
  const templatePath = podTemplatePath(from.doc);
  if (!templatePath) return undefined;
  const specPath = [...templatePath, 'spec'];
  const spec = valueAt(from.doc.value, specPath);
  if (!isRecord(spec)) return undefined;
  const ranges = limitRanges.map((entry) => ({ entry, items: limitRangeItems(valueAt(entry.doc.value, ['spec'])) }));
  const { pod, set } = applyLimitRangeDefaults(
    ranges.map((r) => r.items),
    podResourcesOf(spec),
  );
  return { spec, specPath, pod: quotaPodOf(spec, pod), defaulted: set, limitRanges: ranges };
}

/** How many pods a workload keeps at once (a DaemonSet's depend on the nodes: undefined). */
export function podCountOf(doc: ManifestDocument): number | undefined {
  const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback);
  switch (doc.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      return int(valueAt(doc.value, ['spec', 'replicas']), 1);
    case 'Job':
      return int(valueAt(doc.value, ['spec', 'parallelism']), 1);
    case 'CronJob':
      return int(valueAt(doc.value, ['spec', 'jobTemplate', 'spec', 'parallelism']), 1);
    case 'Pod':
      return 1;
    default:
      return undefined;
  }
}

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

const neighbourCache = new WeakMap<WorkspaceIndex, { revision: number; byNamespace: Map<string, IndexedDocument[]> }>();

/**
 * The other objects of the namespace `from` will live in (workloads and Pods, in file order): the
 * same namespace when it is known; when it is not set, those of the same file, unit or folder
 * that have none either (`kubectl apply -n` puts them together).
 */
export function namespaceNeighbours(workspace: WorkspaceIndex, from: From): IndexedDocument[] {
  const origin = placementOf(workspace, from.uri, from.doc);
  let cached = neighbourCache.get(workspace);
  if (!cached || cached.revision !== workspace.revision) {
    const byNamespace = new Map<string, IndexedDocument[]>();
    for (const entry of workspace.documents()) {
      if (!entry.doc.kind || !WORKLOAD_KINDS.has(entry.doc.kind)) continue;
      const ns = placementOf(workspace, entry.uri, entry.doc).namespace ?? '';
      const list = byNamespace.get(ns);
      if (list) list.push(entry);
      else byNamespace.set(ns, [entry]);
    }
    cached = { revision: workspace.revision, byNamespace };
    neighbourCache.set(workspace, cached);
  }
  const same = cached.byNamespace.get(origin.namespace ?? '') ?? [];
  return same.filter((e) => !(e.uri === from.uri && e.doc === from.doc) && (origin.namespace !== undefined || ringBetween(origin, placementOf(workspace, e.uri, e.doc)) <= Ring.Folder));
}
